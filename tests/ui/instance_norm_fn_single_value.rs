use netshape::network;

network! {
    pub struct Net {
        input: [3, 1],
        instance_norm(),
    }
}

fn main() {}
