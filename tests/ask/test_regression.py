import numpy as np

from ros1qa.ask.regression import fit_balanced


def test_a_balanced_fit_separates_its_classes_and_leaves_a_constant_column_unscaled():
    rng = np.random.default_rng(2)
    features = np.column_stack([rng.normal(size=120), np.ones(120)])
    labels = features[:, 0] > 0
    fitted = fit_balanced(features, labels, np.ones(120), regularisation=1.0)
    assert fitted.scale[1] == 1.0 and fitted.weights[0] > 0
    assert np.array_equal(fitted.logit(features[np.abs(features[:, 0]) > 0.5]) > 0, labels[np.abs(features[:, 0]) > 0.5])
    assert np.isscalar(fitted.logit(features[0])) or fitted.logit(features[0]).shape == ()
