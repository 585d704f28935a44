// vm: a small register bytecode interpreter (switch dispatch) running a
// Collatz-length program with memory traffic and a called subroutine —
// the shape of an interpreter inside an interpreter: indirect branches,
// byte decoding, a register file in memory.
#include "bench.h"

BENCH_PARAM(limit, 60000);

enum Op { LI, MOV, ADD, SUB, AND, SHR, ADDI, JMP, JZ, JEQ, JLT, LOAD, STORE, CALL, RET, HALT };

typedef struct {
  uint8_t op, a, b, c;
  int32_t imm;
} Insn;

static Insn prog[64];
static uint32_t prog_len;
static uint32_t vm_mem[1024];

static uint32_t emit(uint8_t op, uint8_t a, uint8_t b, uint8_t c, int32_t imm) {
  prog[prog_len] = (Insn){op, a, b, c, imm};
  return prog_len++;
}

static uint32_t execute(void) {
  uint32_t r[16] = {0};
  uint32_t ret_stack[16], sp = 0;
  uint32_t pc = 0;
  for (;;) {
    const Insn* in = &prog[pc++];
    switch (in->op) {
      case LI: r[in->a] = (uint32_t)in->imm; break;
      case MOV: r[in->a] = r[in->b]; break;
      case ADD: r[in->a] = r[in->b] + r[in->c]; break;
      case SUB: r[in->a] = r[in->b] - r[in->c]; break;
      case AND: r[in->a] = r[in->b] & r[in->c]; break;
      case SHR: r[in->a] = r[in->b] >> (r[in->c] & 31); break;
      case ADDI: r[in->a] = r[in->b] + (uint32_t)in->imm; break;
      case JMP: pc = (uint32_t)in->imm; break;
      case JZ:
        if (r[in->a] == 0) pc = (uint32_t)in->imm;
        break;
      case JEQ:
        if (r[in->a] == r[in->b]) pc = (uint32_t)in->imm;
        break;
      case JLT:
        if (r[in->a] < r[in->b]) pc = (uint32_t)in->imm;
        break;
      case LOAD: r[in->a] = vm_mem[(r[in->b] + (uint32_t)in->imm) & 1023]; break;
      case STORE: vm_mem[(r[in->b] + (uint32_t)in->imm) & 1023] = r[in->a]; break;
      case CALL:
        ret_stack[sp++ & 15] = pc;
        pc = (uint32_t)in->imm;
        break;
      case RET: pc = ret_stack[--sp & 15]; break;
      case HALT: return r[3] ^ (r[9] << 1);
      default: return 0;
    }
  }
}

// r1 = i, r2 = limit, r3 = total steps, r4 = x, r5 = steps, r6 = 1,
// r7/r8 temporaries, r9 = checksum of vm_mem (from the subroutine).
static void assemble(uint32_t limit) {
  prog_len = 0;
  emit(LI, 1, 0, 0, 1);
  emit(LI, 2, 0, 0, (int32_t)limit);
  emit(LI, 3, 0, 0, 0);
  emit(LI, 6, 0, 0, 1);
  uint32_t loop = emit(MOV, 4, 1, 0, 0);
  emit(LI, 5, 0, 0, 0);
  uint32_t inner = emit(JEQ, 4, 6, 0, 0);  // x == 1 -> done (patched)
  emit(AND, 7, 4, 6, 0);
  uint32_t to_even = emit(JZ, 7, 0, 0, 0);  // patched
  emit(ADD, 8, 4, 4, 0);                      // odd: x = 3x + 1
  emit(ADD, 4, 8, 4, 0);
  emit(ADDI, 4, 4, 0, 1);
  uint32_t to_next = emit(JMP, 0, 0, 0, 0);  // patched
  prog[to_even].imm = (int32_t)emit(SHR, 4, 4, 6, 0);  // even: x >>= 1
  prog[to_next].imm = (int32_t)emit(ADDI, 5, 5, 0, 1);
  emit(JMP, 0, 0, 0, (int32_t)inner);
  prog[inner].imm = (int32_t)emit(ADD, 3, 3, 5, 0);  // done
  emit(LOAD, 7, 1, 0, 0);
  emit(ADD, 7, 7, 5, 0);
  emit(STORE, 7, 1, 0, 0);  // vm_mem[i & 1023] += steps
  emit(ADDI, 1, 1, 0, 1);
  emit(JLT, 1, 2, 0, (int32_t)loop);
  uint32_t call = emit(CALL, 0, 0, 0, 0);  // patched
  emit(HALT, 0, 0, 0, 0);
  // Subroutine: r9 = sum over k of vm_mem[k] * (k odd ? 2 : 1), k in [0, 1024).
  prog[call].imm = (int32_t)emit(LI, 9, 0, 0, 0);
  emit(LI, 10, 0, 0, 0);
  emit(LI, 11, 0, 0, 1024);
  uint32_t sum = emit(LOAD, 12, 10, 0, 0);
  emit(ADD, 9, 9, 12, 0);
  emit(AND, 13, 10, 6, 0);
  uint32_t skip = emit(JZ, 13, 0, 0, 0);  // patched
  emit(ADD, 9, 9, 12, 0);
  prog[skip].imm = (int32_t)emit(ADDI, 10, 10, 0, 1);
  emit(JLT, 10, 11, 0, (int32_t)sum);
  emit(RET, 0, 0, 0, 0);
}

static uint32_t kernel(void) {
  uint32_t h = 0, limit = BENCH_GET(limit);
  for (uint32_t k = 0; k < 1024; ++k) vm_mem[k] = 0;
  assemble(limit);
  h = bench_mix(h, execute());
  assemble(limit / 2);
  h = bench_mix(h, execute());
  return h;
}

BENCH_MAIN(kernel, 3143913485u)
