use netshape::network;

network! {
    pub struct Net {
        input: [512],
        Unflatten(1, (16, 16, 3)),
    }
}

fn main() {}
