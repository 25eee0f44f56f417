use netshape::network;

network! {
    pub struct Net {
        input: [15, 8, 8],
        let (left, right) = chunk(2, dim = 1),
        left,
    }
}

fn main() {}
