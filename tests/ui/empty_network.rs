use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
    }
}

fn main() {}
