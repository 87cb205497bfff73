//! Reads the checkpoint of `weights = "..."` and checks it against the spec: every tensor of
//! the spec's layers present, of its shape and precision, no other layer tensor, and the spec
//! it was trained from the same (its `spec_sha256`). Every problem is an error on the
//! `weights` literal that names the file and the tensor.

use mlp_spec::{ParamSegment, Precision, Spec};
use safetensors::{Dtype, SafeTensors};
use syn::LitStr;

use crate::load::{resolve, unreadable};

/// Trained weights to compile in: the flat parameters' bit patterns, and the file's
/// absolute path for Cargo to track.
pub(crate) fn load(literal: &LitStr, spec: &Spec) -> syn::Result<mlp_codegen::Weights> {
    let written = literal.value();
    let fail = |message: String| syn::Error::new(literal.span(), format!("`{written}`: {message}"));
    let path = resolve(&written);
    let bytes = std::fs::read(&path).map_err(|error| {
        let more = "; `mlp train` and `checkpoint::save_weights` write one";
        fail(format!(
            "cannot read the weights: {}",
            unreadable(&error, &written, more)
        ))
    })?;
    let (_, metadata) = SafeTensors::read_metadata(&bytes)
        .map_err(|e| fail(format!("not a safetensors checkpoint: {e}")))?;
    let tensors = SafeTensors::deserialize(&bytes)
        .map_err(|e| fail(format!("not a safetensors checkpoint: {e}")))?;
    let layout = spec.param_layout();
    let mut bits = vec![0u64; spec.param_count()];
    for segment in &layout {
        read_segment(&tensors, segment, spec, &mut bits).map_err(&fail)?;
    }
    for (name, _) in tensors.tensors() {
        let known = layout.iter().any(|segment| tensor_name(segment) == name);
        if name.starts_with("layers.") && !known {
            return Err(fail(format!(
                "tensor `{name}` is not a parameter of the spec's {} layers: the checkpoint is \
                 of another architecture",
                spec.layers.len()
            )));
        }
    }
    let saved = metadata
        .metadata()
        .as_ref()
        .and_then(|entries| entries.get("spec_sha256"))
        .ok_or_else(|| {
            fail("no `spec_sha256` metadata: not a checkpoint written by mlp".to_owned())
        })?;
    let own = mlp_spec::sha256_hex(&spec.canonical_yaml());
    if *saved != own {
        return Err(fail(format!(
            "trained from another spec (sha256 {saved}) than this one (sha256 {own}); the \
             layers match, a setting differs\n  help: `mlp inspect {written}` prints the spec \
             it was trained from: use it as the spec"
        )));
    }
    Ok(mlp_codegen::Weights {
        path: path.to_string_lossy().into_owned(),
        bits,
    })
}

fn tensor_name(segment: &ParamSegment) -> String {
    format!("layers.{}.{}", segment.layer, segment.role.name())
}

/// Reads one segment, stored row-major `[out, in]` as `nn.Linear`'s, into the column-major
/// flat order of the network's buffer.
fn read_segment(
    tensors: &SafeTensors<'_>,
    segment: &ParamSegment,
    spec: &Spec,
    bits: &mut [u64],
) -> Result<(), String> {
    let name = tensor_name(segment);
    let tensor = tensors.tensor(&name).map_err(|_| {
        format!("tensor `{name}` is missing: the checkpoint is of another architecture")
    })?;
    let shape = segment.torch_shape();
    if tensor.shape() != shape {
        return Err(format!(
            "tensor `{name}` is {:?}, but layer {} of the spec needs {shape:?} ([out, in], as \
             `nn.Linear`): the checkpoint is of another architecture",
            tensor.shape(),
            segment.layer
        ));
    }
    let (dtype, size) = match spec.precision {
        Precision::F32 => (Dtype::F32, 4),
        Precision::F64 => (Dtype::F64, 8),
    };
    if tensor.dtype() != dtype {
        return Err(format!(
            "tensor `{name}` holds {:?}, but the spec computes in {}",
            tensor.dtype(),
            spec.precision.type_name()
        ));
    }
    for (index, value) in tensor.data().chunks_exact(size).enumerate() {
        let (r, c) = (index / segment.cols, index % segment.cols);
        let mut word = [0u8; 8];
        word[..size].copy_from_slice(value);
        let number = match size {
            4 => f64::from(f32::from_le_bytes([word[0], word[1], word[2], word[3]])),
            _ => f64::from_le_bytes(word),
        };
        if !number.is_finite() {
            let at = [r, c];
            return Err(format!(
                "tensor `{name}` holds {number} at {:?}: a network with it predicts nothing \
                 finite; compile in the weights of an earlier epoch, before training diverged",
                &at[..shape.len()]
            ));
        }
        bits[segment.offset + c * segment.rows + r] = u64::from_le_bytes(word);
    }
    Ok(())
}
