use netshape::network;

network! {
    pub struct Net {
        input: [1000000],
        let (first, rest) = split(1, dim = 1),
        first,
    }
}

fn main() {}
