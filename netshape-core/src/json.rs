//! `Serialize` for [`Summary`] (feature `serde`): the schema is documented on
//! [`Summary`]. The other types derive it where they are defined.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::Summary;

impl Serialize for Summary<'_> {
    /// One object: the name, the inputs, torchsummary's totals and sizes, the
    /// mult-add totals, then every step (see [`Summary`]'s docs).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let total = self.total_params();
        let trainable = self.trainable_params();
        let (mult_adds, bias_adds) = self.mult_add_totals();
        let mut object = serializer.serialize_struct("Summary", 12)?;
        object.serialize_field("name", self.name)?;
        object.serialize_field("inputs", self.inputs)?;
        object.serialize_field("total_params", &total)?;
        object.serialize_field("trainable_params", &trainable)?;
        object.serialize_field("non_trainable_params", &(total - trainable))?;
        object.serialize_field("total_mult_adds", &mult_adds)?;
        object.serialize_field("total_mult_adds_with_bias", &(mult_adds + bias_adds))?;
        object.serialize_field("input_size_mb", &self.input_size_mb())?;
        object.serialize_field("forward_backward_size_mb", &self.forward_backward_size_mb())?;
        object.serialize_field("params_size_mb", &self.params_size_mb())?;
        object.serialize_field("total_size_mb", &self.total_size_mb())?;
        object.serialize_field("layers", self.layers)?;
        object.end()
    }
}

#[cfg(test)]
mod tests {
    use crate::{Dtype, ExtraOutput, Layer, ReceptiveField, Source, StateEntry, Summary};

    fn json<T: serde::Serialize>(value: &T) -> std::string::String {
        serde_json::to_string(value).expect("serializable")
    }

    #[test]
    fn small_types() {
        assert_eq!(json(&Source::Input(0)), r#"{"input":0}"#);
        assert_eq!(json(&Source::Layer(3)), r#"{"layer":3}"#);
        assert_eq!(json(&Dtype::Bf16), r#""bfloat16""#);
        assert_eq!(json(&ExtraOutput { shape: &[2, 20], batch_dim: 1 }), r#"{"shape":[2,20],"batch_dim":1}"#);
        assert_eq!(
            json(&ReceptiveField { size: 11.0, jump: 4.0, start: 0.5 }),
            r#"{"size":11.0,"jump":4.0,"start":0.5}"#
        );
        assert_eq!(
            json(&StateEntry { key: "bn1.num_batches_tracked", shape: &[], buffer: true }),
            r#"{"key":"bn1.num_batches_tracked","shape":[],"buffer":true}"#
        );
    }

    #[test]
    fn summary_object() {
        let layers = [
            Layer {
                name: "fc",
                kind: "Linear",
                sources: &[Source::Input(0)],
                input: &[4],
                output: &[2],
                params: 10,
                trainable: 10,
                mult_adds: 8,
                bias_adds: 2,
                ..Layer::EMPTY
            },
            Layer {
                kind: "relu",
                functional: true,
                sources: &[Source::Layer(0)],
                input: &[2],
                output: &[2],
                ..Layer::EMPTY
            },
        ];
        let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
        let value: serde_json::Value = serde_json::to_value(summary).expect("serializable");
        let mut keys: std::vec::Vec<&str> =
            value.as_object().expect("an object").keys().map(|key| key.as_str()).collect();
        // Sorted: serde_json keeps insertion order only with `preserve_order`.
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "forward_backward_size_mb",
                "input_size_mb",
                "inputs",
                "layers",
                "name",
                "non_trainable_params",
                "params_size_mb",
                "total_mult_adds",
                "total_mult_adds_with_bias",
                "total_params",
                "total_size_mb",
                "trainable_params",
            ]
        );
        assert_eq!(value["total_mult_adds_with_bias"], 10);
        assert_eq!(value["layers"][1]["sources"][0]["layer"], 0);
        assert_eq!(value["layers"][1]["functional"], true);
    }
}
