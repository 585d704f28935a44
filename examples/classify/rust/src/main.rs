//! classify (Rust): the C example's twin on the `wasi-nn` crate (0.6). Loads
//! model.xml + model.bin from a preopened directory, decodes a PNG with the
//! `png` crate, builds the f32 [1,1,28,28] input (white digit on black, in
//! [0,1]), computes, and prints the top-5 classes with their scores.
//!
//!   wnn run --dir examples/classify/model::/model classify-rs.wasm /model/digit-7.png
//!
//! usage: classify-rs IMAGE.png [MODEL_DIR]   (default MODEL_DIR: the image's directory)
use std::fs::File;
use std::path::Path;
use std::process::exit;

use wasi_nn::{ExecutionTarget, GraphBuilder, GraphEncoding, TensorType};

const SIDE: usize = 28;

fn die(msg: String) -> ! {
    eprintln!("classify-rs: {}", msg);
    exit(1);
}

/// Decodes a PNG to 8-bit grayscale: (pixels, width, height, channels).
fn decode_gray(path: &str) -> Result<(Vec<u8>, usize, usize, usize), String> {
    let file = File::open(path).map_err(|e| format!("cannot open {} (is its directory given with --dir?): {}", path, e))?;
    let mut decoder = png::Decoder::new(file);
    // 16-bit to 8, palettes to RGB: then only the channel count varies.
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| format!("cannot decode {}: {}", path, e))?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).map_err(|e| format!("cannot decode {}: {}", path, e))?;
    let (w, h) = (info.width as usize, info.height as usize);
    let ch = info.color_type.samples();
    let gray = (0..w * h)
        .map(|i| {
            let p = &buf[i * ch..i * ch + ch];
            match ch {
                1 | 2 => p[0],
                _ => ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114) / 1000) as u8,
            }
        })
        .collect();
    Ok((gray, w, h, ch))
}

/// Area-averages to SIDE x SIDE in [0,1], inverted when the background is light (as classify.c).
fn to_input(px: &[u8], w: usize, h: usize) -> Vec<f32> {
    let mean = px.iter().map(|&v| v as f64).sum::<f64>() / (w * h) as f64;
    let invert = mean > 127.5;
    let mut out = vec![0f32; SIDE * SIDE];
    for y in 0..SIDE {
        for x in 0..SIDE {
            let (y0, x0) = (y * h / SIDE, x * w / SIDE);
            let y1 = ((y + 1) * h / SIDE).max(y0 + 1);
            let x1 = ((x + 1) * w / SIDE).max(x0 + 1);
            let mut sum = 0f64;
            for yy in y0..y1 {
                for xx in x0..x1 {
                    sum += px[yy * w + xx] as f64;
                }
            }
            let v = (sum / ((y1 - y0) * (x1 - x0)) as f64 / 255.0) as f32;
            out[y * SIDE + x] = if invert { 1.0 - v } else { v };
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 || args.len() > 3 {
        eprintln!("usage: classify-rs IMAGE.png [MODEL_DIR]");
        exit(2);
    }
    let image = &args[1];
    let dir = match args.get(2) {
        Some(d) => d.clone(),
        None => Path::new(image).parent().map(|p| p.to_string_lossy().into_owned()).filter(|s| !s.is_empty()).unwrap_or_else(|| ".".into()),
    };
    let (px, w, h, ch) = decode_gray(image).unwrap_or_else(|e| die(e));
    let input = to_input(&px, w, h);

    let files = [format!("{}/model.xml", dir), format!("{}/model.bin", dir)];
    let graph = GraphBuilder::new(GraphEncoding::Openvino, ExecutionTarget::CPU)
        .build_from_files(&files)
        .unwrap_or_else(|e| die(format!("load {:?}: {} (the host's log says why)", files, e)));
    let mut ctx = graph.init_execution_context().unwrap_or_else(|e| die(format!("init_execution_context: {}", e)));
    ctx.set_input(0, TensorType::F32, &[1, 1, SIDE, SIDE], &input)
        .unwrap_or_else(|e| die(format!("set_input: {}", e)));
    ctx.compute().unwrap_or_else(|e| die(format!("compute: {}", e)));
    let mut probs = [0f32; 10];
    let n = ctx.get_output(0, &mut probs).unwrap_or_else(|e| die(format!("get_output: {}", e)));
    if n != std::mem::size_of_val(&probs) {
        die(format!("the model gave {} bytes, expected 40 (10 f32 scores)", n));
    }

    println!("{} ({}x{}, {} channel{}): top-5", image, w, h, ch, if ch == 1 { "" } else { "s" });
    let mut order: Vec<usize> = (0..probs.len()).collect();
    // Stable sort by descending score: ties keep the lower class first, as classify.c.
    order.sort_by(|&a, &b| probs[b].partial_cmp(&probs[a]).unwrap_or(std::cmp::Ordering::Equal));
    for &i in order.iter().take(5) {
        println!("  {}  {:.4}", i, probs[i]);
    }
}
