;; An imported v128 global.
(module (import "env" "g0" (global v128)))
