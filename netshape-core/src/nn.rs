//! Typed markers for the layers that own parameters or buffers.
//!
//! A network's struct has one field per such layer, and the field's type
//! carries the layer's dimensions as const generics, so the parameter layout is
//! part of the type: `conv1: Conv2d<1, 10, 5, 5>` holds a `[10, 1, 5, 5]`
//! weight and a `[10]` bias. The markers are zero-sized; the shapes themselves
//! are in the network's `STATE_DICT`.

macro_rules! marker {
    ($(#[$doc:meta])* $name:ident < $($param:ident : $ty:ty $(= $default:literal)?),* >) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name<$(const $param: $ty $(= $default)?),*>;
    };
}

marker!(
    /// `torch.nn.Conv1d`: weight `[OUT, IN / GROUPS, K]`, bias `[OUT]` when `BIAS`.
    ///
    /// ```
    /// let _depthwise: netshape_core::nn::Conv1d<8, 8, 3, 8, false> = Default::default();
    /// ```
    Conv1d<IN: usize, OUT: usize, K: usize, GROUPS: usize = 1, BIAS: bool = true>
);
marker!(
    /// `torch.nn.Conv2d`: weight `[OUT, IN / GROUPS, KH, KW]`, bias `[OUT]` when `BIAS`.
    ///
    /// ```
    /// let _conv1: netshape_core::nn::Conv2d<1, 10, 5, 5> = Default::default();
    /// ```
    Conv2d<IN: usize, OUT: usize, KH: usize, KW: usize, GROUPS: usize = 1, BIAS: bool = true>
);
marker!(
    /// `torch.nn.Conv3d`: weight `[OUT, IN / GROUPS, KD, KH, KW]`, bias `[OUT]` when `BIAS`.
    ///
    /// ```
    /// let _conv: netshape_core::nn::Conv3d<3, 64, 3, 7, 7> = Default::default();
    /// ```
    Conv3d<IN: usize, OUT: usize, KD: usize, KH: usize, KW: usize, GROUPS: usize = 1, BIAS: bool = true>
);
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
