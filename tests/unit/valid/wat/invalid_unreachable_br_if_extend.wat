;; TypeErrors.UnreachableCodeIsPolymorphic: br_if re-types the label's value as i64; i64.extend_i32_u at 3.
(module
  (func (result i64)
    unreachable br_if 0 i64.extend_i32_u))
