// hashmap: an open-addressing hash table (linear probing, u64 keys, u32
// counts, power-of-two capacity) — inserts with duplicates, lookups that hit
// and miss, deletions with backward-shift. 64-bit multiply/shift hashing,
// data-dependent branches, random memory access.
//
// One source, built two ways by bench/run:
//   --cfg hosted (native, wasm32-wasi): a program that prints "ok <checksum>"
//     or "FAIL ..." and exits 1;
//   without it (wasm32-unknown-unknown, #![no_std], cdylib): exports
//     `run() -> u32` returning the checksum, trapping on a mismatch.
#![cfg_attr(not(hosted), no_std)]

const CAP: usize = 1 << 20;
const EXPECTED: u32 = 1791230857;

static mut KEYS: [u64; CAP] = [0; CAP];
static mut VALS: [u32; CAP] = [0; CAP];
static mut OPS: u32 = 600_000;

struct Table<'a> {
    keys: &'a mut [u64], // 0 = empty slot; keys are never 0
    vals: &'a mut [u32],
    len: usize,
}

#[inline]
fn hash(k: u64) -> usize {
    let x = k.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((x ^ (x >> 29)) as usize) & (CAP - 1)
}

impl<'a> Table<'a> {
    fn clear(&mut self) {
        for k in self.keys.iter_mut() {
            *k = 0;
        }
        self.len = 0;
    }

    fn add(&mut self, key: u64, by: u32) {
        let mut i = hash(key);
        loop {
            let k = self.keys[i];
            if k == key {
                self.vals[i] = self.vals[i].wrapping_add(by);
                return;
            }
            if k == 0 {
                self.keys[i] = key;
                self.vals[i] = by;
                self.len += 1;
                return;
            }
            i = (i + 1) & (CAP - 1);
        }
    }

    fn get(&self, key: u64) -> Option<u32> {
        let mut i = hash(key);
        loop {
            let k = self.keys[i];
            if k == key {
                return Some(self.vals[i]);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & (CAP - 1);
        }
    }

    fn remove(&mut self, key: u64) -> bool {
        let mut i = hash(key);
        loop {
            let k = self.keys[i];
            if k == 0 {
                return false;
            }
            if k == key {
                break;
            }
            i = (i + 1) & (CAP - 1);
        }
        // Backward-shift deletion keeps probe chains intact without tombstones.
        let mut hole = i;
        let mut j = (i + 1) & (CAP - 1);
        loop {
            let k = self.keys[j];
            if k == 0 {
                break;
            }
            let home = hash(k);
            // Move k into the hole if its home is not in (hole, j] cyclically.
            let dist_hole = hole.wrapping_sub(home) & (CAP - 1);
            let dist_j = j.wrapping_sub(home) & (CAP - 1);
            if dist_hole < dist_j {
                self.keys[hole] = k;
                self.vals[hole] = self.vals[j];
                hole = j;
            }
            j = (j + 1) & (CAP - 1);
        }
        self.keys[hole] = 0;
        self.len -= 1;
        true
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn mix(h: u32, v: u32) -> u32 {
    let h = (h ^ v).wrapping_mul(0x0100_0193);
    h ^ (h >> 15)
}

fn kernel() -> u32 {
    let ops = unsafe { core::ptr::read_volatile(core::ptr::addr_of!(OPS)) } as usize;
    let mut t = Table {
        keys: unsafe { &mut *core::ptr::addr_of_mut!(KEYS) },
        vals: unsafe { &mut *core::ptr::addr_of_mut!(VALS) },
        len: 0,
    };
    let mut h = 0u32;
    for round in 0..2u64 {
        t.clear();
        let mut rng = Rng(0x1234_5678_9ABC_DEF1 ^ round);
        // Keys from a small universe so many inserts hit existing entries.
        for _ in 0..ops {
            let r = rng.next();
            t.add(1 + (r >> 40) % 400_000, (r & 0xFF) as u32);
        }
        h = mix(h, t.len as u32);
        let mut hits = 0u32;
        let mut sum = 0u32;
        for _ in 0..ops {
            let r = rng.next();
            if let Some(v) = t.get(1 + (r >> 40) % 800_000) {
                hits += 1;
                sum = sum.wrapping_add(v);
            }
        }
        h = mix(mix(h, hits), sum);
        let mut removed = 0u32;
        for _ in 0..ops / 2 {
            let r = rng.next();
            if t.remove(1 + (r >> 40) % 400_000) {
                removed += 1;
            }
        }
        h = mix(mix(h, removed), t.len as u32);
        // Everything left must still be findable after the deletions.
        let mut left = 0u32;
        for k in 1..=400_000u64 {
            if t.get(k).is_some() {
                left += 1;
            }
        }
        if left as usize != t.len {
            return 0;
        }
    }
    h
}

#[cfg(hosted)]
fn main() {
    let got = kernel();
    if got != EXPECTED {
        println!("FAIL {} (expected {})", got, EXPECTED);
        std::process::exit(1);
    }
    println!("ok {}", got);
}

#[cfg(not(hosted))]
#[no_mangle]
pub extern "C" fn run() -> u32 {
    let got = kernel();
    if got != EXPECTED {
        core::arch::wasm32::unreachable();
    }
    got
}

#[cfg(not(hosted))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
