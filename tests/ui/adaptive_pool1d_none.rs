use netshape::network;

network! {
    pub struct Net {
        input: [2, 5],
        pool: AdaptiveAvgPool1d(None),
    }
}

fn main() {}
