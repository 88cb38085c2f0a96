use ratelimit_headers::Limit;
fn main() {
    let mut n = 0u64;
    for _ in 0..1_000_000 {
        let l: Limit = Limit::parse(std::hint::black_box(b"120, 120;w=60, 4;w=1")).unwrap();
        n += l.policies().len() as u64;
    }
    println!("{n}");
}
