use netshape::network;

network! {
    pub struct Net {
        input query: [10, 64],
        input memory: [20, 32],
        attention: MultiheadAttention(64, 4, kdim = 16, vdim = 32)(query, memory, memory),
    }
}

fn main() {}
