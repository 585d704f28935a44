;; The largest memory (65536 pages) is valid (Limits.MemorySize).
(module (memory 0 65536))
