//! torchvision's `vit_b_16` (`torchvision.models.vit_b_16`), the ViT-B/16
//! vision transformer, transcribed module for module: a 16×16 patch
//! projection, a class token and a position embedding (raw parameters of the
//! network and of its encoder), twelve pre-norm encoder blocks and a linear
//! head on the class token. `cargo run --example vit_b_16` prints torchinfo's
//! summary of it, the same as `torchinfo.summary(torchvision.models.vit_b_16(),
//! (1, 3, 224, 224))` (torchsummary crashes on this model).

use netshape::network;

network! {
    /// torchvision's `EncoderBlock`: self-attention, then an MLP, each after
    /// a layer norm and added back to what it started from.
    pub block EncoderBlock(num_heads, hidden_dim, mlp_dim) {
        let attended = [
            ln_1: LayerNorm(hidden_dim, eps = 1e-6),
            self_attention: MultiheadAttention(hidden_dim, num_heads, batch_first = true),
            dropout: Dropout(0.0),
        ],
        let x = add(attended, input),
        let y = x -> [
            ln_2: LayerNorm(hidden_dim, eps = 1e-6),
            #[class = "MLPBlock"]
            mlp: [Linear(hidden_dim, mlp_dim), GELU(), Dropout(0.0), Linear(mlp_dim, hidden_dim), Dropout(0.0)],
        ],
        add(x, y),
    }

    /// torchvision's `Encoder`: the position embedding (its own parameter,
    /// one row per token, broadcast over the batch), the blocks, a final norm.
    pub block Encoder(seq_length, num_layers, num_heads, hidden_dim, mlp_dim) {
        pos_embedding: Parameter(1, seq_length, hidden_dim),
        add([], pos_embedding),
        dropout: Dropout(0.0),
        layers: [
            for i in 0..num_layers {
                encoder_layer_{i}: EncoderBlock(num_heads, hidden_dim, mlp_dim),
            }
        ],
        ln: LayerNorm(hidden_dim, eps = 1e-6),
    }

    /// ViT-B/16 at 224×224: 196 patches and the class token, 12 layers of
    /// width 768 with 12 heads and an MLP of 3072.
    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct VitB16 {
        input: [3, 224, 224],
        class_token: Parameter(1, 1, 768),
        conv_proj: Conv2d(3, 768, 16, stride = 16),
        // `_process_input`: the patches as a sequence of 196 tokens.
        reshape(-1, 768, 196),
        permute(0, 2, 1),
        // The class token, expanded over the batch, goes first.
        cat(class_token, [], dim = 1),
        encoder: Encoder(197, 12, 12, 768, 3072),
        // The class token's output: `x[:, 0]`.
        select(1, 0),
        heads: [head: Linear(768, 1000)],
    }
}

const _: () = assert!(VitB16::TOTAL_PARAMS == 86_567_656);

fn main() {
    print!("{}", VitB16::SUMMARY.torchinfo().name("VisionTransformer"));
}
