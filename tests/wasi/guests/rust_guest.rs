// Rust guest for the WASI tests (std only, built with Debian's rustc for
// wasm32-wasi): file I/O, directories, metadata, args/env, time, exit codes
// and the sandbox, through Rust's std.
use std::io::{Read, Seek, SeekFrom, Write};
use std::{env, fs, process};

fn files(dir: &str) {
    let p = format!("{}/rust.txt", dir);
    fs::write(&p, b"hello from rust\n").unwrap();
    let mut f = fs::OpenOptions::new().append(true).open(&p).unwrap();
    f.write_all(b"second line\n").unwrap();
    drop(f);
    print!("{}", fs::read_to_string(&p).unwrap());
    let mut f = fs::File::open(&p).unwrap();
    f.seek(SeekFrom::Start(6)).unwrap();
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    println!("from 6: {:?}", s);
    let md = fs::metadata(&p).unwrap();
    println!("len={} file={} dir={}", md.len(), md.is_file(), md.is_dir());
    println!("modified set: {}", md.modified().is_ok());
    fs::create_dir_all(format!("{}/a/b/c", dir)).unwrap();
    fs::write(format!("{}/a/b/c/x", dir), b"x").unwrap();
    fs::rename(&p, format!("{}/a/renamed.txt", dir)).unwrap();
    let mut names: Vec<String> = fs::read_dir(format!("{}/a", dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    println!("a: {:?}", names);
    fs::remove_dir_all(format!("{}/a/b", dir)).unwrap();
    println!("b exists: {}", fs::metadata(format!("{}/a/b", dir)).is_ok());
}

fn escape(dir: &str) {
    for p in ["../outside/secret.txt", "rel_link", "abs_link", "chain1", "dir_link/secret.txt"] {
        match fs::read_to_string(format!("{}/{}", dir, p)) {
            Ok(s) => println!("{}: READ {:?}", p, s),
            Err(e) => println!("{}: error (os error {:?})", p, e.raw_os_error()),
        }
    }
    match fs::read_to_string("/etc/passwd") {
        Ok(_) => println!("/etc/passwd: READ"),
        Err(e) => println!("/etc/passwd: error (os error {:?})", e.raw_os_error()),
    }
}

fn main() {
    let args: Vec<String> = env::args().collect();
    match args.get(1).map(|s| s.as_str()) {
        Some("files") => files(&args[2]),
        Some("escape") => escape(&args[2]),
        Some("env") => {
            println!("args: {:?}", &args[1..]);
            let mut vars: Vec<(String, String)> = env::vars().collect();
            vars.sort();
            println!("vars: {:?}", vars);
        }
        Some("time") => {
            let t0 = std::time::Instant::now();
            std::thread::sleep(std::time::Duration::from_millis(15));
            let dt = t0.elapsed();
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
            println!("slept ok: {}", dt.as_millis() >= 15 && dt.as_secs() < 2);
            println!("after 2020: {}", now.as_secs() > 1_577_836_800);
        }
        Some("exit") => {
            eprintln!("exiting");
            process::exit(args[2].parse().unwrap());
        }
        Some("panic") => {
            let v: Vec<u32> = Vec::new();
            println!("{}", v[args.len()]);
        }
        _ => println!("hello from rust"),
    }
}
