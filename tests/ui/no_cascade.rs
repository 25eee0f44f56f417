use netshape::{network, Network};

network! {
    pub struct Net {
        input: [1, 28, 28],
        conv1: Conv2d(1, 10, kernel_size = 5),
        fc: Linear(320, 10),
    }
}

// Code that uses the network reports nothing more: only the mistake above.
const _: () = assert!(Net::TOTAL_PARAMS == 21_840);

fn total<N: Network>() -> usize {
    N::TOTAL_PARAMS
}

fn main() {
    print!("{}", Net::SUMMARY);
    let _: [usize; 1] = Net::OUTPUT_SHAPE;
    let _ = Net::LAYERS[0].params;
    let _ = total::<Net>();
}
