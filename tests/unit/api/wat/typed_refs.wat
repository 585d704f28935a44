;; References across typed host functions (typed_refs_test.cpp): externrefs
;; the host made go through the guest (a global, back to the host) and
;; return; funcrefs the guest made (ref.func) reach the host, which calls
;; them; funcrefs the host picks are called by the guest through a table.
(module
  (import "host" "tag" (func $tag (param externref i32) (result externref)))
  (import "host" "is_null" (func $is_null (param externref) (result i32)))
  (import "host" "apply" (func $apply (param funcref i32) (result i32)))
  (import "host" "pick" (func $pick (param i32) (result funcref)))
  (table $t 1 funcref)
  (global $kept (export "kept") (mut externref) (ref.null extern))
  (elem declare func $double)
  (func $double (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  ;; The host's tag of r, kept in a global on the way back.
  (func (export "tag") (param externref i32) (result externref)
    (global.set $kept (call $tag (local.get 0) (local.get 1)))
    (global.get $kept))
  (func (export "tag_null") (param i32) (result externref) (call $tag (ref.null extern) (local.get 0)))
  (func (export "is_null") (param externref) (result i32) (call $is_null (local.get 0)))
  (func (export "apply_double") (param i32) (result i32) (call $apply (ref.func $double) (local.get 0)))
  (func (export "apply_null") (param i32) (result i32) (call $apply (ref.null func) (local.get 0)))
  (func (export "call_picked") (param i32 i32) (result i32)
    (table.set $t (i32.const 0) (call $pick (local.get 0)))
    (call_indirect (param i32) (result i32) (local.get 1) (i32.const 0)))
  (func (export "id_extern") (param externref) (result externref) (local.get 0))
  (func (export "id_func") (param funcref) (result funcref) (local.get 0)))
