use netshape::network;

network! {
    pub struct Net {
        input: [7],
        gate: GLU(),
    }
}

fn main() {}
