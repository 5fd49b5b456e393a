"""Robustness of seeds, prior lists and result files: bad input fails early, clearly, by name."""

import errno
import os
import re
import tempfile

import numpy as np
import pytest

import bayesreg
import bayesreg.api
import bayesreg.result
from bayesreg import PriorRegressor
from bayesreg._validation import check_random_seed
from bayesreg.compare import compare_priors, posterior_path

pytestmark = pytest.mark.filterwarnings("ignore::bayesreg.ConvergenceWarning")

FAST = dict(draws=50, tune=50, chains=1, progressbar=False, warn_convergence=False)


@pytest.fixture(scope="module")
def small():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    y = X @ np.array([1.0, 0.0, -2.0]) + rng.standard_normal(40)
    return X, y


@pytest.fixture(scope="module")
def sampled(small):
    return bayesreg.fit(*small, prior="gaussian", alpha=1.0, random_seed=0, **FAST)


@pytest.fixture(scope="module")
def map_result(small):
    return bayesreg.fit(*small, prior="laplace", alpha=0.1, sigma=1.0, method="map")


@pytest.fixture
def no_fitting(monkeypatch):
    """Fail the test if anything reaches bayesreg.fit."""

    def boom(*args, **kwargs):
        raise AssertionError("bayesreg.fit was called before the bad input was rejected")

    monkeypatch.setattr(bayesreg.api, "fit", boom)


# -- one seed check everywhere ----------------------------------------------------------------


def test_check_random_seed_accepts_none_ints_and_seed_sequences():
    seq = np.random.SeedSequence(5)
    assert check_random_seed(seq) is seq
    assert check_random_seed(7).entropy == 7
    assert check_random_seed(np.int64(7)).entropy == 7
    assert check_random_seed(0).entropy == 0
    assert isinstance(check_random_seed(None), np.random.SeedSequence)


@pytest.mark.parametrize("seed", [True, "1", 1.5, np.float64(2.0), [1], np.random.default_rng(0)])
def test_check_random_seed_rejects_other_types(seed):
    with pytest.raises(TypeError, match=r"random_seed must be an int >= 0, a "
                                        r"numpy.random.SeedSequence or None"):
        check_random_seed(seed)
    with pytest.raises(TypeError, match=r"^my_seed must be"):
        check_random_seed(seed, "my_seed")


@pytest.mark.parametrize("seed", [-1, np.int32(-5)])
def test_check_random_seed_rejects_negative(seed):
    with pytest.raises(ValueError, match="random_seed must be non-negative"):
        check_random_seed(seed)


def test_seed_sequence_is_an_alias():
    from bayesreg.sampling import _seed_sequence

    assert _seed_sequence(3).entropy == 3
    with pytest.raises(ValueError, match="random_seed must be non-negative"):
        _seed_sequence(-2)


BAD_SEEDS = [(-1, ValueError), ("seed", TypeError), (1.5, TypeError), (True, TypeError)]


@pytest.mark.parametrize(("seed", "error"), BAD_SEEDS)
def test_same_bad_seed_same_error_in_fit(small, seed, error):
    with pytest.raises(error, match="random_seed"):
        bayesreg.fit(*small, prior="gaussian", alpha=1.0, random_seed=seed, **FAST)


@pytest.mark.parametrize(("seed", "error"), BAD_SEEDS)
def test_same_bad_seed_same_error_in_predict(small, sampled, seed, error):
    with pytest.raises(error, match="random_seed"):
        sampled.predict(small[0][:3], kind="predictive", random_seed=seed)


@pytest.mark.parametrize(("seed", "error"), BAD_SEEDS)
def test_same_bad_seed_same_error_in_compare_priors(small, no_fitting, seed, error):
    with pytest.raises(error, match="random_seed"):
        compare_priors(*small, ("gaussian", "laplace"), random_seed=seed, **FAST)


@pytest.mark.parametrize(("seed", "error"), BAD_SEEDS)
def test_same_bad_seed_same_error_in_posterior_path(small, no_fitting, seed, error):
    with pytest.raises(error, match="random_seed"):
        posterior_path(*small, "gaussian", alphas=[1.0], draws=50, chains=1, random_seed=seed)


@pytest.mark.parametrize(("seed", "error"), BAD_SEEDS)
def test_same_bad_seed_same_error_in_estimator_fit(small, seed, error):
    model = PriorRegressor(method="sample", draws=50, chains=1, random_seed=seed)
    with pytest.raises(error, match="random_seed"):
        model.fit(*small)
    with pytest.raises(ValueError, match="random_seed"):  # scikit-learn's convention too
        model.fit(*small)


def test_predictive_seed_sequence_matches_int(small, sampled):
    X_new = small[0][:4]
    by_int = sampled.predict(X_new, kind="predictive", random_seed=3)
    by_seq = sampled.predict(X_new, kind="predictive", random_seed=np.random.SeedSequence(3))
    np.testing.assert_array_equal(by_int, by_seq)
    again = sampled.predict(X_new, kind="predictive", random_seed=np.int64(3))
    np.testing.assert_array_equal(by_int, again)


def test_estimator_seed_sequence_is_reproducible(small):
    model = PriorRegressor(alpha=1.0, prior="gaussian", method="sample", draws=50, chains=1,
                           random_seed=np.random.SeedSequence(4))
    first = model.fit(*small).coef_.copy()
    np.testing.assert_array_equal(model.fit(*small).coef_, first)


# -- compare_priors checks every prior first ----------------------------------------------------


def test_compare_priors_rejects_unknown_name_before_fitting(small, no_fitting):
    with pytest.raises(ValueError, match=r"priors\[2\]: prior must be one of .*'bogus'"):
        compare_priors(*small, ["gaussian", "laplace", "bogus"], **FAST)


def test_compare_priors_rejects_bad_prior_object_before_fitting(small, no_fitting):
    with pytest.raises(TypeError, match=r"priors\[1\]"):
        compare_priors(*small, ["gaussian", 3.0], **FAST)


# -- bayesreg.load: clear errors naming the file ---------------------------------------------

RAW_MESSAGES = ("synchronously", "h5py", "H5D", "Errno", "file signature", "eof")


def _assert_clear(excinfo):
    message = str(excinfo.value)
    assert not any(raw in message for raw in RAW_MESSAGES), message


def test_load_missing_file(tmp_path):
    path = tmp_path / "missing.nc"
    with pytest.raises(FileNotFoundError, match=re.escape(str(path))):
        bayesreg.load(path)


def test_load_directory(tmp_path):
    with pytest.raises(ValueError, match=re.escape(str(tmp_path)) + ".*is a directory") as exc:
        bayesreg.load(tmp_path)
    _assert_clear(exc)


def test_load_empty_file(tmp_path):
    path = tmp_path / "empty.nc"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*file is empty") as exc:
        bayesreg.load(path)
    _assert_clear(exc)


@pytest.mark.parametrize("content", [np.random.default_rng(1).bytes(4096), b"coef,intercept\n1,2\n",
                                     b"CDF\x01\0\0\0\0"], ids=["binary", "text", "netcdf3"])
def test_load_garbage_file(tmp_path, content):
    path = tmp_path / "garbage.nc"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*not a bayesreg result file"
                       ) as exc:
        bayesreg.load(path)
    _assert_clear(exc)


def test_load_truncated_file(tmp_path, sampled):
    path = sampled.to_netcdf(tmp_path / "fit.nc")
    data = open(path, "rb").read()
    with open(path, "wb") as fh:
        fh.write(data[: len(data) // 2])
    with pytest.raises(ValueError, match=re.escape(path) + ".*corrupted or truncated") as exc:
        bayesreg.load(path)
    _assert_clear(exc)


def test_load_corrupted_file_fails_at_load(tmp_path, sampled):
    import h5py

    path = sampled.to_netcdf(tmp_path / "fit.nc")
    with h5py.File(path, "r") as fh:  # where the compressed draws of coef are stored
        chunk = fh["posterior/coef"].id.get_chunk_info(0)
    data = bytearray(open(path, "rb").read())
    middle = chunk.byte_offset + chunk.size // 2
    data[middle:middle + 16] = b"\xab" * 16
    with open(path, "wb") as fh:
        fh.write(bytes(data))
    with pytest.raises(ValueError, match=re.escape(path) + ".*corrupted or truncated") as exc:
        bayesreg.load(path)
    _assert_clear(exc)


def test_load_foreign_netcdf(tmp_path):
    import arviz as az
    import xarray as xr

    plain = tmp_path / "plain.nc"
    xr.Dataset({"a": ("x", np.arange(3.0))}).to_netcdf(plain, engine="h5netcdf")
    foreign = tmp_path / "foreign.nc"
    az.from_dict(posterior={"coef": np.zeros((1, 10))}).to_netcdf(str(foreign))
    for path in (plain, foreign):
        with pytest.raises(ValueError, match=re.escape(str(path)) +
                           ".*not a bayesreg result file"):
            bayesreg.load(path)


def test_load_inconsistent_metadata(tmp_path, small):
    res = bayesreg.fit(*small, prior="gaussian", alpha=1.0, random_seed=0, **FAST)
    res.feature_names = ("a", "b", "c")  # the posterior's feature coordinate says x0, x1, x2
    path = res.to_netcdf(tmp_path / "odd.nc")
    with pytest.raises(ValueError, match=re.escape(path) + ".*corrupted.*do not match"):
        bayesreg.load(path)


def test_load_good_files_still_round_trip(tmp_path, sampled, map_result, small):
    back = bayesreg.load(sampled.to_netcdf(tmp_path / "fit.nc"))
    np.testing.assert_array_equal(back.idata.posterior["coef"].values,
                                  sampled.idata.posterior["coef"].values)
    assert back.feature_names == sampled.feature_names
    np.testing.assert_allclose(back.predict(small[0]), sampled.predict(small[0]))
    back_map = bayesreg.load(map_result.to_netcdf(tmp_path / "map.nc"))
    assert back_map.idata is None
    np.testing.assert_array_equal(back_map.map.coef, map_result.map.coef)
    # the file is closed after load: it can be overwritten at once
    sampled.to_netcdf(tmp_path / "fit.nc")
    assert bayesreg.load(tmp_path / "fit.nc").feature_names == sampled.feature_names


# -- FitResult.to_netcdf: the location is checked before writing ----------------------------


def test_to_netcdf_missing_directory(tmp_path, map_result):
    parent = tmp_path / "no" / "such"
    with pytest.raises(FileNotFoundError, match=re.escape(str(parent)) + "' does not exist"):
        map_result.to_netcdf(parent / "fit.nc")
    assert not (tmp_path / "no").exists()


def test_to_netcdf_existing_directory(tmp_path, map_result):
    with pytest.raises(IsADirectoryError, match=re.escape(str(tmp_path)) + ".*is a directory"):
        map_result.to_netcdf(tmp_path)


def test_to_netcdf_under_a_file(tmp_path, map_result):
    afile = tmp_path / "afile"
    afile.write_text("not a directory")
    with pytest.raises(NotADirectoryError, match=re.escape(str(afile)) + "' is a file"):
        map_result.to_netcdf(afile / "fit.nc")


def _creatable(directory: str) -> bool:
    try:
        fd, probe = tempfile.mkstemp(dir=directory)
    except OSError:
        return False
    os.close(fd)
    os.remove(probe)
    return True


@pytest.mark.skipif(not os.path.isdir("/sys") or _creatable("/sys"),
                    reason="needs a directory where even root cannot create files")
def test_to_netcdf_unwritable_location(map_result):
    with pytest.raises(PermissionError, match=r"'/sys/bayesreg-fit\.nc'.*not writable"):
        map_result.to_netcdf("/sys/bayesreg-fit.nc")


def test_to_netcdf_read_only_directory(tmp_path, map_result, monkeypatch):
    """As root chmod does not stop writes, so simulate a read-only file system."""

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(bayesreg.result.tempfile, "mkstemp", read_only)
    target = tmp_path / "fit.nc"
    with pytest.raises(PermissionError, match=re.escape(str(target)) + ".*not writable"):
        map_result.to_netcdf(target)
    assert not target.exists()
