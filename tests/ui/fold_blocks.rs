use netshape::network;

network! {
    pub struct Net {
        input: [12, 10],
        fold: Fold(output_size = (4, 5), kernel_size = 2),
    }
}

fn main() {}
