//! Typed markers for the layers that own parameters or buffers.
//!
//! A network's struct has one field per such layer, and the field's type
//! carries the layer's dimensions as const generics, so the parameter layout is
//! part of the type: `conv1: Conv2d<1, 10, 5, 5>` holds a `[10, 1, 5, 5]`
//! weight and a `[10]` bias. The markers are zero-sized; the shapes themselves
//! are in the network's `STATE_DICT`.

use core::marker::PhantomData;

macro_rules! marker {
    ($(#[$doc:meta])* $name:ident < $($param:ident : $ty:ty $(= $default:literal)?),* >) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name<$(const $param: $ty $(= $default)?),*>;
    };
}

macro_rules! conv {
    ($($(#[$doc:meta])* $name:ident < $($param:ident),* >;)*) => {$(
        marker!($(#[$doc])* $name<$($param: usize,)* GROUPS: usize = 1, BIAS: bool = true>);
    )*};
}

conv! {
    /// `torch.nn.Conv1d`: weight `[OUT, IN / GROUPS, K]`, bias `[OUT]` when `BIAS`.
    ///
    /// ```
    /// let _depthwise: netshape_core::nn::Conv1d<8, 8, 3, 8, false> = Default::default();
    /// ```
    Conv1d<IN, OUT, K>;
    /// `torch.nn.Conv2d`: weight `[OUT, IN / GROUPS, KH, KW]`, bias `[OUT]` when `BIAS`.
    ///
    /// ```
    /// let _conv1: netshape_core::nn::Conv2d<1, 10, 5, 5> = Default::default();
    /// ```
    Conv2d<IN, OUT, KH, KW>;
    /// `torch.nn.Conv3d`: weight `[OUT, IN / GROUPS, KD, KH, KW]`, bias `[OUT]` when `BIAS`.
    ///
    /// ```
    /// let _conv: netshape_core::nn::Conv3d<3, 64, 3, 7, 7> = Default::default();
    /// ```
    Conv3d<IN, OUT, KD, KH, KW>;
    /// `torch.nn.ConvTranspose1d`: weight `[IN, OUT / GROUPS, K]`, bias `[OUT]` when `BIAS`.
    ///
    /// ```
    /// let _up: netshape_core::nn::ConvTranspose1d<16, 8, 4> = Default::default();
    /// ```
    ConvTranspose1d<IN, OUT, K>;
    /// `torch.nn.ConvTranspose2d`: weight `[IN, OUT / GROUPS, KH, KW]`, bias `[OUT]` when `BIAS`.
    ///
    /// ```
    /// let _up: netshape_core::nn::ConvTranspose2d<64, 32, 2, 2> = Default::default();
    /// ```
    ConvTranspose2d<IN, OUT, KH, KW>;
    /// `torch.nn.ConvTranspose3d`: weight `[IN, OUT / GROUPS, KD, KH, KW]`, bias `[OUT]` when `BIAS`.
    ///
    /// ```
    /// let _up: netshape_core::nn::ConvTranspose3d<8, 4, 2, 2, 2> = Default::default();
    /// ```
    ConvTranspose3d<IN, OUT, KD, KH, KW>;
}
marker!(
    /// `torch.nn.Linear`: weight `[OUT, IN]`, bias `[OUT]` when `BIAS`.
    ///
    /// ```
    /// let _fc1: netshape_core::nn::Linear<320, 50> = Default::default();
    /// ```
    Linear<IN: usize, OUT: usize, BIAS: bool = true>
);
marker!(
    /// `torch.nn.BatchNorm1d`: weight and bias `[C]` when `AFFINE`; `running_mean`,
    /// `running_var` `[C]` and `num_batches_tracked` `[]` when `TRACK_RUNNING_STATS`.
    ///
    /// ```
    /// let _bn: netshape_core::nn::BatchNorm1d<50> = Default::default();
    /// ```
    BatchNorm1d<C: usize, AFFINE: bool = true, TRACK_RUNNING_STATS: bool = true>
);
marker!(
    /// `torch.nn.BatchNorm2d`: weight and bias `[C]` when `AFFINE`; `running_mean`,
    /// `running_var` `[C]` and `num_batches_tracked` `[]` when `TRACK_RUNNING_STATS`.
    ///
    /// ```
    /// let _bn1: netshape_core::nn::BatchNorm2d<64> = Default::default();
    /// ```
    BatchNorm2d<C: usize, AFFINE: bool = true, TRACK_RUNNING_STATS: bool = true>
);
marker!(
    /// `torch.nn.BatchNorm3d`: weight and bias `[C]` when `AFFINE`; `running_mean`,
    /// `running_var` `[C]` and `num_batches_tracked` `[]` when `TRACK_RUNNING_STATS`.
    ///
    /// ```
    /// let _bn: netshape_core::nn::BatchNorm3d<16, false> = Default::default();
    /// ```
    BatchNorm3d<C: usize, AFFINE: bool = true, TRACK_RUNNING_STATS: bool = true>
);
marker!(
    /// `torch.nn.InstanceNorm1d`: weight and bias `[C]` when `AFFINE`; running
    /// statistics when `TRACK_RUNNING_STATS` (both off by default, as in PyTorch).
    ///
    /// ```
    /// let _norm: netshape_core::nn::InstanceNorm1d<16, true> = Default::default();
    /// ```
    InstanceNorm1d<C: usize, AFFINE: bool = false, TRACK_RUNNING_STATS: bool = false>
);
marker!(
    /// `torch.nn.InstanceNorm2d`: weight and bias `[C]` when `AFFINE`; running
    /// statistics when `TRACK_RUNNING_STATS`.
    ///
    /// ```
    /// let _norm: netshape_core::nn::InstanceNorm2d<64, true> = Default::default();
    /// ```
    InstanceNorm2d<C: usize, AFFINE: bool = false, TRACK_RUNNING_STATS: bool = false>
);
marker!(
    /// `torch.nn.InstanceNorm3d`: weight and bias `[C]` when `AFFINE`; running
    /// statistics when `TRACK_RUNNING_STATS`.
    ///
    /// ```
    /// let _norm: netshape_core::nn::InstanceNorm3d<8, false, true> = Default::default();
    /// ```
    InstanceNorm3d<C: usize, AFFINE: bool = false, TRACK_RUNNING_STATS: bool = false>
);
marker!(
    /// `torch.nn.GroupNorm`: weight and bias `[C]` when `AFFINE`.
    ///
    /// ```
    /// let _norm: netshape_core::nn::GroupNorm<32, 256> = Default::default();
    /// ```
    GroupNorm<GROUPS: usize, C: usize, AFFINE: bool = true>
);

/// `torch.nn.LayerNorm` over the trailing dims `S` (a tensor marker such as
/// [`Tensor1<512>`](crate::Tensor1)): weight and bias of that shape when
/// `AFFINE` (`elementwise_affine`) and `BIAS`.
///
/// ```
/// use netshape_core::{nn::LayerNorm, Tensor1};
///
/// let _norm: LayerNorm<Tensor1<512>> = Default::default();
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LayerNorm<S, const AFFINE: bool = true, const BIAS: bool = true>(PhantomData<S>);

marker!(
    /// `torch.nn.Embedding`: weight `[N, D]`.
    ///
    /// ```
    /// let _table: netshape_core::nn::Embedding<10_000, 300> = Default::default();
    /// ```
    Embedding<N: usize, D: usize>
);
marker!(
    /// `torch.nn.EmbeddingBag`: weight `[N, D]`.
    ///
    /// ```
    /// let _bag: netshape_core::nn::EmbeddingBag<10_000, 64> = Default::default();
    /// ```
    EmbeddingBag<N: usize, D: usize>
);
marker!(
    /// `torch.nn.RNN`: per layer and direction `weight_ih_l{k}` `[H, in]`,
    /// `weight_hh_l{k}` `[H, H]` and, when `BIAS`, two biases `[H]`.
    ///
    /// ```
    /// let _rnn: netshape_core::nn::RNN<10, 20, 2> = Default::default();
    /// ```
    RNN<IN: usize, HIDDEN: usize, LAYERS: usize = 1, BIAS: bool = true, BIDIRECTIONAL: bool = false>
);
marker!(
    /// `torch.nn.LSTM`: as [`RNN`] with four gates (`[4H, …]`), and with
    /// `PROJ > 0` a projection `weight_hr_l{k}` `[PROJ, H]`.
    ///
    /// ```
    /// let _lstm: netshape_core::nn::LSTM<300, 512, 2, true, true> = Default::default();
    /// ```
    LSTM<IN: usize, HIDDEN: usize, LAYERS: usize = 1, BIAS: bool = true, BIDIRECTIONAL: bool = false, PROJ: usize = 0>
);
marker!(
    /// `torch.nn.GRU`: as [`RNN`] with three gates (`[3H, …]`).
    ///
    /// ```
    /// let _gru: netshape_core::nn::GRU<64, 128> = Default::default();
    /// ```
    GRU<IN: usize, HIDDEN: usize, LAYERS: usize = 1, BIAS: bool = true, BIDIRECTIONAL: bool = false>
);
marker!(
    /// `torch.nn.MultiheadAttention`: `in_proj_weight` `[3E, E]` (or separate
    /// `q`/`k`/`v` projections when `KDIM` or `VDIM` differ from `E`),
    /// `in_proj_bias` `[3E]`, `out_proj` `[E, E]` and `[E]` when `BIAS`;
    /// `bias_k`, `bias_v` `[1, 1, E]` when `ADD_BIAS_KV`.
    ///
    /// ```
    /// let _attention: netshape_core::nn::MultiheadAttention<512, 8, 512, 512> = Default::default();
    /// ```
    MultiheadAttention<E: usize, HEADS: usize, KDIM: usize, VDIM: usize, BIAS: bool = true, ADD_BIAS_KV: bool = false>
);
marker!(
    /// `torch.nn.TransformerEncoderLayer`: self-attention, a feed-forward block
    /// `D → FF → D` and two layer norms.
    ///
    /// ```
    /// let _layer: netshape_core::nn::TransformerEncoderLayer<512, 8, 2048> = Default::default();
    /// ```
    TransformerEncoderLayer<D: usize, HEADS: usize, FF: usize, NORM_FIRST: bool = false, BIAS: bool = true>
);
marker!(
    /// `torch.nn.TransformerDecoderLayer`: self-attention, attention over the
    /// memory, a feed-forward block and three layer norms.
    ///
    /// ```
    /// let _layer: netshape_core::nn::TransformerDecoderLayer<512, 8, 2048> = Default::default();
    /// ```
    TransformerDecoderLayer<D: usize, HEADS: usize, FF: usize, NORM_FIRST: bool = false, BIAS: bool = true>
);
marker!(
    /// `torch.nn.TransformerEncoder`: `LAYERS` copies of a
    /// [`TransformerEncoderLayer<D, HEADS, FF>`], and a final `norm` when `NORM`.
    ///
    /// ```
    /// let _encoder: netshape_core::nn::TransformerEncoder<512, 8, 2048, 6> = Default::default();
    /// ```
    TransformerEncoder<D: usize, HEADS: usize, FF: usize, LAYERS: usize, NORM: bool = false, NORM_FIRST: bool = false, BIAS: bool = true>
);
marker!(
    /// `torch.nn.TransformerDecoder`: `LAYERS` copies of a
    /// [`TransformerDecoderLayer<D, HEADS, FF>`], and a final `norm` when `NORM`.
    ///
    /// ```
    /// let _decoder: netshape_core::nn::TransformerDecoder<512, 8, 2048, 6, true> = Default::default();
    /// ```
    TransformerDecoder<D: usize, HEADS: usize, FF: usize, LAYERS: usize, NORM: bool = false, NORM_FIRST: bool = false, BIAS: bool = true>
);
marker!(
    /// `torch.nn.Transformer`: an encoder of `ENCODER` layers and a decoder of
    /// `DECODER` layers, each with a final norm.
    ///
    /// ```
    /// let _model: netshape_core::nn::Transformer<512, 8, 6, 6, 2048> = Default::default();
    /// ```
    Transformer<D: usize, HEADS: usize, ENCODER: usize, DECODER: usize, FF: usize, NORM_FIRST: bool = false, BIAS: bool = true>
);
marker!(
    /// `torch.nn.PReLU`: weight `[N]`, one slope or one per channel.
    ///
    /// ```
    /// let _prelu: netshape_core::nn::PReLU<64> = Default::default();
    /// ```
    PReLU<N: usize = 1>
);
