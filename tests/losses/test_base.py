"""The Loss contract: reductions, sample weights (Keras's rules), masks, lookup and serialization."""
import numpy as np
import pytest

from glassnet import Tensor, losses, ops
from glassnet.losses import base

rng = np.random.default_rng(3)

Y = np.array([[0.0, 1.0], [0.0, 0.0], [1.0, 1.0]])
P = np.array([[1.0, 1.0], [0.0, 2.0], [1.0, 0.0]])
PER_SAMPLE = np.array([0.5, 2.0, 0.5])   # MSE of each row: (1 + 0)/2, (0 + 4)/2, (0 + 1)/2


def test_reductions():
    assert losses.MeanSquaredError()(Y, P).item() == pytest.approx(PER_SAMPLE.mean())
    assert losses.MeanSquaredError(reduction="mean")(Y, P).item() == pytest.approx(PER_SAMPLE.mean())
    assert losses.MeanSquaredError(reduction="sum")(Y, P).item() == pytest.approx(PER_SAMPLE.sum())
    np.testing.assert_allclose(losses.MeanSquaredError(reduction="none")(Y, P).numpy(), PER_SAMPLE)
    np.testing.assert_allclose(losses.MeanSquaredError(reduction=None)(Y, P).numpy(), PER_SAMPLE)


def test_sample_weight_divides_by_the_number_of_entries_not_the_weight_sum():
    w = np.array([1.0, 0.0, 3.0])
    # "sum_over_batch_size": Σ wᵢℓᵢ / n = (0.5 + 0 + 1.5)/3
    assert losses.MeanSquaredError()(Y, P, sample_weight=w).item() == pytest.approx(2.0 / 3)
    assert losses.MeanSquaredError(reduction="sum")(Y, P, sample_weight=w).item() == pytest.approx(2.0)
    # "mean_with_sample_weight": Σ wᵢℓᵢ / Σ wᵢ = 2/4
    assert losses.MeanSquaredError(reduction="mean_with_sample_weight")(Y, P, sample_weight=w).item() == pytest.approx(0.5)
    np.testing.assert_allclose(losses.MeanSquaredError(reduction="none")(Y, P, sample_weight=w).numpy(), w * PER_SAMPLE)
    # (N, 1) weights and a scalar weight
    assert losses.MeanSquaredError()(Y, P, sample_weight=w[:, None]).item() == pytest.approx(2.0 / 3)
    assert losses.MeanSquaredError()(Y, P, sample_weight=2.0).item() == pytest.approx(2 * PER_SAMPLE.mean())


def test_per_sample_weights_on_sequences_and_per_timestep_weights():
    y, p = rng.normal(size=(3, 4, 2)), rng.normal(size=(3, 4, 2))
    per_step = np.mean((y - p) ** 2, axis=-1)                         # (3, 4)
    w = np.array([1.0, 2.0, 0.0])
    value = losses.MeanSquaredError()(y, p, sample_weight=w).item()
    assert value == pytest.approx(np.sum(per_step * w[:, None]) / per_step.size)
    w_steps = rng.uniform(size=(3, 4))
    assert losses.MeanSquaredError()(y, p, sample_weight=w_steps).item() == pytest.approx(
        np.sum(per_step * w_steps) / per_step.size)


def test_bad_sample_weight_and_reduction_raise():
    with pytest.raises(ValueError, match=r"sample_weight of shape \(2,\)"):
        losses.MeanSquaredError()(Y, P, sample_weight=[1.0, 2.0])
    with pytest.raises(ValueError, match="reduction='mean_over_everything'"):
        losses.MeanSquaredError(reduction="mean_over_everything")
    with pytest.raises(TypeError, match="sample_weight"):
        losses.MeanSquaredError()(Y, P, sample_weight=np.array(["a", "b", "c"]))


def test_mask_is_merged_into_the_weights():
    values = Tensor(np.array([1.0, 2.0, 3.0, 4.0]))
    mask = np.array([True, False, True, True])
    assert base.reduce_weighted_values(values, mask=mask).item() == pytest.approx(8.0 / 3)
    assert base.reduce_weighted_values(values, mask=mask, reduction="sum").item() == pytest.approx(8.0)
    weighted = base.reduce_weighted_values(values, sample_weight=[1.0, 1.0, 2.0, 0.0], mask=mask)
    assert weighted.item() == pytest.approx((1 + 6) / 3)
    # a mask per time step with one weight per sample
    steps = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]))
    step_mask = np.array([[True, False], [True, True]])
    value = base.reduce_weighted_values(steps, sample_weight=[2.0, 1.0], mask=step_mask, reduction="sum")
    assert value.item() == pytest.approx(2 * 1 + 3 + 4)


def test_empty_batch_gives_zero_and_scalar_values_pass_through():
    assert losses.MeanSquaredError()(np.zeros((0, 2)), np.zeros((0, 2))).item() == 0.0
    assert base.reduce_values(Tensor(np.float64(2.5))).item() == 2.5


def test_squeeze_or_expand_to_same_rank():
    a, b = base.squeeze_or_expand_to_same_rank(np.zeros(4), np.zeros((4, 1)))
    assert a.shape == (4, 1) and b.shape == (4, 1)
    a, b = base.squeeze_or_expand_to_same_rank(np.zeros((4, 3, 1)), np.zeros((4, 3)))
    assert a.shape == (4, 3) and b.shape == (4, 3)
    a, b = base.squeeze_or_expand_to_same_rank(np.zeros(4), np.zeros((4, 1)), expand_rank_1=False)
    assert a.shape == (4,) and b.shape == (4,)
    t = Tensor(np.zeros((4, 1)), requires_grad=True)
    _, squeezed = base.squeeze_or_expand_to_same_rank(np.zeros((4, 3)), t)
    assert squeezed.shape == (4, 1)  # different sizes: left alone


def test_y_true_tensor_is_data_and_y_pred_list_is_accepted():
    y_true = Tensor(Y, requires_grad=True)
    loss = losses.MeanSquaredError()(y_true, P.tolist())
    assert loss.item() == pytest.approx(PER_SAMPLE.mean(), rel=1e-6)
    assert not loss.requires_grad


def test_custom_loss_subclass_and_wrapper():
    class MyMSE(losses.Loss):
        def call(self, y_true, y_pred):
            return ops.mean(ops.square(y_pred - y_true), axis=-1)

    loss = MyMSE()
    assert loss.name == "my_mse"
    assert loss(Y, P).item() == pytest.approx(PER_SAMPLE.mean())
    wrapped = losses.LossFunctionWrapper(losses.huber, delta=0.5, reduction="sum")
    assert wrapped(Y, P).item() == pytest.approx(losses.Huber(delta=0.5, reduction="sum")(Y, P).item())
    assert wrapped.name == "huber"
    with pytest.raises(TypeError, match="callable"):
        losses.LossFunctionWrapper(3)


def test_get_follows_keras():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("mean_squared_error") is losses.mean_squared_error
    for name, fn in [("mae", losses.mean_absolute_error), ("binary_crossentropy", losses.binary_crossentropy),
                     ("categorical_crossentropy", losses.categorical_crossentropy),
                     ("sparse_categorical_crossentropy", losses.sparse_categorical_crossentropy),
                     ("huber", losses.huber), ("log_cosh", losses.log_cosh), ("hinge", losses.hinge),
                     ("kld", losses.kl_divergence), ("kl_divergence", losses.kl_divergence),
                     ("poisson", losses.poisson), ("cosine_similarity", losses.cosine_similarity),
                     ("rmse", losses.root_mean_squared_error)]:
        assert losses.get(name) is fn, name
    assert isinstance(losses.get("MeanSquaredError"), losses.MeanSquaredError)
    huber = losses.get({"class_name": "Huber", "config": {"delta": 2.0}})
    assert isinstance(huber, losses.Huber) and huber.delta == 2.0
    assert losses.get(losses.hinge) is losses.hinge
    assert losses.get(None) is None
    with pytest.raises(ValueError, match="Unknown loss 'msee'"):
        losses.get("msee")
    with pytest.raises(ValueError, match="Could not interpret"):
        losses.get(3)


def test_as_loss_always_gives_a_loss_object():
    assert isinstance(losses.as_loss("mse"), losses.MeanSquaredError)
    assert isinstance(losses.as_loss("sparse_categorical_crossentropy"), losses.SparseCategoricalCrossentropy)
    assert isinstance(losses.as_loss(losses.binary_crossentropy), losses.BinaryCrossentropy)
    assert isinstance(losses.as_loss(losses.Huber), losses.Huber)
    existing = losses.Huber(delta=3.0)
    assert losses.as_loss(existing) is existing

    def my_loss(y_true, y_pred):
        return ops.mean(ops.abs(y_pred - y_true), axis=-1)

    wrapped = losses.as_loss(my_loss)
    assert isinstance(wrapped, losses.LossFunctionWrapper) and wrapped.name == "my_loss"
    assert wrapped(Y, P).item() == pytest.approx(losses.MeanAbsoluteError()(Y, P).item())
    assert losses.as_loss(None) is None
    with pytest.raises(TypeError, match="as_loss"):
        losses.as_loss(42)


ALL_CLASSES = [c for c in losses.FUNCTION_TO_CLASS.values()]


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=[c.__name__ for c in ALL_CLASSES])
def test_every_class_round_trips_through_config_and_serialize(cls):
    loss = cls(reduction="sum", name="custom_name")
    config = loss.get_config()
    assert config["name"] == "custom_name" and config["reduction"] == "sum"
    rebuilt = cls.from_config(config)
    assert rebuilt.get_config() == config
    again = losses.deserialize(losses.serialize(loss))
    assert type(again) is cls and again.get_config() == config


def test_function_and_wrapper_serialization():
    assert losses.deserialize(losses.serialize(losses.poisson)) is losses.poisson
    wrapper = losses.LossFunctionWrapper(losses.huber, delta=0.3, name="h")
    rebuilt = losses.deserialize(losses.serialize(wrapper))
    assert isinstance(rebuilt, losses.LossFunctionWrapper) and rebuilt.fn is losses.huber
    assert rebuilt.get_config() == wrapper.get_config()

    def mine(y_true, y_pred):
        return ops.mean(y_pred, axis=-1)

    config = losses.serialize(losses.LossFunctionWrapper(mine))
    with pytest.raises(ValueError, match="custom_objects"):
        losses.deserialize(config)
    assert losses.deserialize(config, custom_objects={"mine": mine}).fn is mine


def test_default_names_match_keras():
    expected = {
        losses.MeanSquaredError: "mean_squared_error", losses.Huber: "huber_loss", losses.LogCosh: "log_cosh",
        losses.BinaryCrossentropy: "binary_crossentropy", losses.KLDivergence: "kl_divergence",
        losses.SparseCategoricalCrossentropy: "sparse_categorical_crossentropy",
    }
    for cls, name in expected.items():
        assert cls().name == name
