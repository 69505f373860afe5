"""PilotNet in miniature: grayscale frames are real pictures, VisualBackProp and Grad-CAM give finite masks the
frame's shape."""
import numpy as np
import torch

from explainer.driving import pilotnet


def test_grayscale_frames_are_real_pictures_and_labels_vary():
    frames, steering = pilotnet.drive_frames(seed=2, steps=12)
    assert frames.shape == (12, pilotnet.SIZE, pilotnet.SIZE) and frames.dtype == np.uint8
    assert frames.std() > 5 and frames.max() > 150  # the lane lines are drawn: not a black frame
    assert steering.shape == (12,) and np.all(np.abs(steering) <= 1)


def test_visual_backprop_and_grad_cam_light_up_part_of_a_real_frame_for_the_trained_network(torch_one_thread):
    """On the shipped network and its held-out frames: each mask has the frame's shape, lies in 0..1, reaches 1 (it
    is scaled to its maximum), is not flat (an all-zero or constant mask fails), and differs between frames."""
    from explainer.driving.presets import PILOTNET
    from explainer.runs.jobs import get_registry

    run = get_registry().result_of(PILOTNET)
    model = pilotnet.model_of(run)
    test_frames = run.snapshots[0].arrays["test_frames"]
    frames = torch.from_numpy(test_frames[[0, len(test_frames) // 2]][:, None].astype(np.float32) / 255)
    for mask in (pilotnet.visual_backprop(model, frames), pilotnet.grad_cam(model, frames)):
        assert mask.shape == (2, pilotnet.SIZE, pilotnet.SIZE)
        assert np.isfinite(mask).all() and mask.min() >= 0 and mask.max() <= 1 + 1e-6
        assert np.allclose(mask.max(axis=(1, 2)), 1, atol=1e-5)
        assert all(np.ptp(m) > 0.5 for m in mask) and (mask > 0.5).mean() < 0.5  # a part lights up, not all
        assert not np.allclose(mask[0], mask[1])


def test_grad_cam_shows_the_evidence_for_the_way_the_network_steers(torch_one_thread):
    """For a frame it steers right (output < 0) the map is Grad-CAM of −steering: evidence for steering right."""
    from captum.attr import LayerAttribution, LayerGradCam

    from explainer.driving.presets import PILOTNET
    from explainer.runs.jobs import get_registry

    run = get_registry().result_of(PILOTNET)
    model = pilotnet.model_of(run)
    frames = torch.from_numpy(run.snapshots[0].arrays["test_frames"][:, None].astype(np.float32) / 255)
    with torch.no_grad():
        steering = model(frames)[:, 0]
    for i in (int(steering.argmin()), int(steering.argmax())):
        x, sign = frames[i:i + 1], -1.0 if steering[i] < 0 else 1.0
        raw = LayerGradCam(lambda v, s=sign: s * model(v), model.conv3).attribute(x, target=0, relu_attributions=True)
        raw = LayerAttribution.interpolate(raw, x.shape[-2:], interpolate_mode="bilinear")[0, 0].detach().numpy()
        np.testing.assert_allclose(pilotnet.grad_cam(model, x)[0], raw / raw.max(), atol=1e-5)
    assert steering.min() < 0 < steering.max()  # the held-out drive has both directions
