use netshape::network;

network! {
    pub struct Net {
        input: [65536, 65536, 65536],
        relu(),
    }
}

fn main() {}
