use netshape::network;

network! {
    pub struct Net {
        input: [20, 64],
        lstm: LSTM(64, 128, proj_size = 128),
    }
}

fn main() {}
