use netshape::network;

network! {
    pub struct Net {
        input: [32, 8, 8],
        act: PReLU(num_parameters = 64),
    }
}

fn main() {}
