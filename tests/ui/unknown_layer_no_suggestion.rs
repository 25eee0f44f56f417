use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
        Hypernetwork(3),
    }
}

fn main() {}
