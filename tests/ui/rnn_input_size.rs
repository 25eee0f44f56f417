use netshape::network;

network! {
    pub struct Net {
        input: [20] as i64,
        embed: Embedding(5000, 300),
        lstm: LSTM(256, 512, batch_first = true),
    }
}

fn main() {}
