//! Linear, embeddings, recurrent and attention layers.
//!
//! | Layer | Arguments (defaults) | Input → output |
//! | --- | --- | --- |
//! | `Linear` | `in_features`, `out_features`, `bias=true` | `[*, in_features]` → `[*, out_features]`; weight `[out, in]`, bias `[out]` |
//! | `Embedding` | `num_embeddings`, `embedding_dim`, `padding_idx=None` (from −num to num−1), `max_norm=None`, `norm_type=2.0`, `scale_grad_by_freq=false`, `sparse=false` | indices `[*]` (declare `input: [L] as i64`) → `[*, embedding_dim]`; weight `[num, dim]` |
//! | `EmbeddingBag` | `num_embeddings`, `embedding_dim`, `max_norm=None`, `norm_type=2.0`, `scale_grad_by_freq=false` (not with `mode="max"`), `mode="mean"` (`"sum"`, `"max"`), `sparse=false`, `include_last_offset=false`, `padding_idx=None` | a bag of indices `[N]` → `[embedding_dim]`; weight `[num, dim]` |
//! | `RNN` | `input_size`, `hidden_size`, `num_layers=1`, `bias=true`, `batch_first=false`, `dropout=0`, `bidirectional=false`, keyword `nonlinearity="tanh"` (`"relu"`) | `[L, input_size]` → `[L, D·hidden]`, also `h_n` `[D·layers, N, hidden]`; per layer `k` and direction: `weight_ih_lk` `[hidden, in]`, `weight_hh_lk` `[hidden, hidden]`, `bias_ih_lk`, `bias_hh_lk` `[hidden]` (`_reverse` for the backward direction) |
//! | `LSTM` | as `RNN` without `nonlinearity`, and `proj_size=0` (smaller than `hidden_size`) | as `RNN` with 4 gates (`[4·hidden, …]`), also `c_n`; with `proj_size` the output and `h_n` have `proj_size` features and each layer has `weight_hr_lk` `[proj, hidden]` |
//! | `GRU` | as `LSTM` without `proj_size` | as `RNN` with 3 gates |
//! | `MultiheadAttention` | `embed_dim` (divisible by `num_heads`), `num_heads`, `dropout=0`, `bias=true`, `add_bias_kv=false`, `add_zero_attn=false`, `kdim=None`, `vdim=None`, `batch_first=false` | self-attention `[L, E]` → `[L, E]`, or `(query, key, value)` `[L, E]`, `[S, kdim]`, `[S, vdim]` → `[L, E]`, also the weights `[L, S]`; `in_proj_weight` `[3E, E]` (or `q_proj_weight`, `k_proj_weight`, `v_proj_weight`), `in_proj_bias` `[3E]`, `bias_k`, `bias_v` `[1, 1, E]`, `out_proj.weight` `[E, E]`, `out_proj.bias` `[E]` |
//! | `TransformerEncoderLayer` | `d_model` (divisible by `nhead`), `nhead`, `dim_feedforward=2048`, `dropout=0.1`, `activation="relu"` (`"gelu"`), `layer_norm_eps=1e-5`, `batch_first=false`, `norm_first=false`, `bias=true` | `[L, d_model]` unchanged; children `self_attn`, `linear1`, `dropout`, `linear2`, `norm1`, `norm2`, `dropout1`, `dropout2`, with rows in PyTorch's call order |
//! | `TransformerDecoderLayer` | as `TransformerEncoderLayer` | `(tgt, memory)` → `tgt`'s shape; adds `multihead_attn`, `norm3`, `dropout3` |
//! | `TransformerEncoder` | `encoder_layer` (a `TransformerEncoderLayer(…)`), `num_layers`, `norm=None` (a `LayerNorm(…)`), `enable_nested_tensor=true`, `mask_check=true` | `[L, d_model]` unchanged; `layers.0…`, `norm` |
//! | `TransformerDecoder` | `decoder_layer` (a `TransformerDecoderLayer(…)`), `num_layers`, `norm=None` | `(tgt, memory)` → `tgt`'s shape |
//! | `Transformer` | `d_model=512`, `nhead=8`, `num_encoder_layers=6`, `num_decoder_layers=6`, `dim_feedforward=2048`, `dropout=0.1`, `activation="relu"`, `custom_encoder=None`, `custom_decoder=None`, `layer_norm_eps=1e-5`, `batch_first=false`, `norm_first=false`, `bias=true` | `(src, tgt)` → `tgt`'s shape; `encoder.…`, `decoder.…`, each with a final `norm` |
//!
//! Shapes are per sample, so `batch_first` changes where PyTorch puts the batch,
//! not a sample's shape: a sequence is `[L, E]` either way, and both settings
//! are accepted. A layer that takes several tensors gets them after its call:
//! `attention: MultiheadAttention(512, 8)(query, key, value)`,
//! `decoder: TransformerDecoderLayer(512, 8)(tgt, memory)`.
//!
//! # Linear, embeddings and recurrent layers
//!
//! An RNN's further outputs (`h_n`, and an LSTM's `c_n`) are in its layer's
//! `extra_outputs`, with the dim where PyTorch puts their batch.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Tagger {
//!         input: [12] as i64,
//!         embed: Embedding(1000, 32, padding_idx = 0),
//!         lstm: LSTM(32, 64, num_layers = 2, bidirectional = true),
//!         fc: Linear(128, 5),
//!     }
//!
//!     pub struct Cells {
//!         input: [20, 8],
//!         rnn: RNN(8, 16, nonlinearity = "relu"),
//!         gru: GRU(16, 16, batch_first = true),
//!         lstm: LSTM(16, 32, proj_size = 8),
//!     }
//!
//!     pub struct Bag {
//!         input: [6] as i64,
//!         bag: EmbeddingBag(100, 16, mode = "sum"),
//!     }
//! }
//!
//! let shapes: Vec<_> = Tagger::LAYERS.iter().map(|layer| layer.output).collect();
//! assert_eq!(shapes, [&[12, 32][..], &[12, 128], &[12, 5]]);
//! // Per layer and direction: 4 gates of 64 over the input and the hidden state, two biases.
//! let layer0 = 2 * (256 * 32 + 256 * 64 + 2 * 256);
//! let layer1 = 2 * (256 * 128 + 256 * 64 + 2 * 256);
//! assert_eq!(Tagger::LAYERS[1].params, layer0 + layer1);
//! assert_eq!(Tagger::TOTAL_PARAMS, 1000 * 32 + layer0 + layer1 + 128 * 5 + 5);
//! assert_eq!(Tagger::STATE_DICT[5].key, "lstm.weight_ih_l0_reverse");
//! // `h_n` and `c_n`: [layers × directions, N, hidden].
//! let h_n = Tagger::LAYERS[1].extra_outputs[0];
//! assert_eq!((h_n.shape, h_n.batch_dim), (&[4, 64][..], 1));
//! assert_eq!(h_n.to_string(), "[4, -1, 64]");
//!
//! let cells: Vec<_> = Cells::LAYERS.iter().map(|layer| (layer.output, layer.params)).collect();
//! assert_eq!(cells, [(&[20, 16][..], 416), (&[20, 16], 1632), (&[20, 8], 3584)]);
//! let projection = Cells::STATE_DICT.iter().find(|entry| entry.key == "lstm.weight_hr_l0").unwrap();
//! assert_eq!(projection.shape, [8, 32]);
//!
//! assert_eq!(Bag::OUTPUT_SHAPE, [16]);
//! ```
//!
//! # Attention and Transformers
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Encoder {
//!         input: [10, 64],
//!         attn: MultiheadAttention(64, 4),
//!         layer: TransformerEncoderLayer(64, 4, dim_feedforward = 128),
//!     }
//!
//!     pub struct Cross {
//!         input query: [10, 64],
//!         input key: [7, 32],
//!         input value: [7, 16],
//!         attention: MultiheadAttention(64, 4, kdim = 32, vdim = 16)(query, key, value),
//!     }
//!
//!     pub struct Seq2Seq {
//!         input src: [12, 32],
//!         input tgt: [9, 32],
//!         transformer: Transformer(
//!             d_model = 32,
//!             nhead = 4,
//!             num_encoder_layers = 1,
//!             num_decoder_layers = 1,
//!             dim_feedforward = 64,
//!         )(src, tgt),
//!     }
//!
//!     pub struct Stack {
//!         input src: [12, 32],
//!         input tgt: [9, 32],
//!         let memory = src -> encoder: TransformerEncoder(
//!             TransformerEncoderLayer(32, 4, dim_feedforward = 64),
//!             2,
//!             norm = LayerNorm(32),
//!         ),
//!         decoder: TransformerDecoderLayer(32, 4, dim_feedforward = 64)(tgt, memory),
//!     }
//! }
//!
//! let attention = 3 * 64 * 64 + 3 * 64 + 64 * 64 + 64;
//! // Its own `in_proj_weight` and `in_proj_bias`; `out_proj` is a child module
//! // it never calls, which has no row: torchinfo counts it with the attention.
//! assert_eq!(Encoder::LAYERS[0].params, 3 * 64 * 64 + 3 * 64);
//! assert_eq!(Encoder::LAYERS[0].uncalled_params, 64 * 64 + 64);
//! // The attention weights: [L, S].
//! assert_eq!(Encoder::LAYERS[0].extra_outputs[0].shape, [10, 10]);
//! let feedforward = (64 * 128 + 128) + (128 * 64 + 64);
//! assert_eq!(Encoder::TOTAL_PARAMS, 2 * attention + feedforward + 2 * 2 * 64);
//! // The layer's children, in PyTorch's call order, then the layer's own row.
//! let rows: Vec<_> = Encoder::LAYERS.iter().skip(1).map(|layer| layer.name).collect();
//! assert_eq!(
//!     rows,
//!     [
//!         "layer.self_attn",
//!         "layer.dropout1",
//!         "layer.norm1",
//!         "layer.linear1",
//!         "layer.dropout",
//!         "layer.linear2",
//!         "layer.dropout2",
//!         "layer.norm2",
//!         "layer",
//!     ]
//! );
//!
//! // Different key and value sizes: separate projections.
//! assert_eq!(Cross::OUTPUT_SHAPE, [10, 64]);
//! assert_eq!(Cross::LAYERS[0].extra_outputs[0].shape, [10, 7]);
//! let keys: Vec<_> = Cross::STATE_DICT.iter().map(|entry| (entry.key, entry.shape)).collect();
//! assert_eq!(keys[1], ("attention.k_proj_weight", &[64, 32][..]));
//!
//! assert_eq!(Seq2Seq::OUTPUT_SHAPE, [9, 32]);
//! assert!(Seq2Seq::STATE_DICT.iter().any(|entry| entry.key == "transformer.encoder.norm.weight"));
//! assert!(Seq2Seq::STATE_DICT.iter().any(|entry| entry.key == "transformer.decoder.layers.0.norm3.bias"));
//!
//! assert_eq!(Stack::OUTPUT_SHAPE, [9, 32]);
//! assert!(Stack::STATE_DICT.iter().any(|entry| entry.key == "encoder.layers.1.linear2.weight"));
//! assert!(Stack::STATE_DICT.iter().any(|entry| entry.key == "decoder.multihead_attn.in_proj_weight"));
//! ```
//!
//! # Mistakes
//!
//! Checked: `in_features` against the input's last dim, embeddings' index
//! inputs and `padding_idx`, RNN input sizes and `proj_size`, attention's heads
//! and key/value sizes.
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [10, 64],
//!         attn: MultiheadAttention(64, 5),     // 64 is not divisible by 5 heads
//!     }
//! }
//! ```
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [12],                         // floats: declare `as i64`
//!         embed: Embedding(1000, 32),
//!     }
//! }
//! ```
