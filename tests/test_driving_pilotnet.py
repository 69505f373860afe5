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


def test_visual_backprop_and_grad_cam_masks_have_the_frames_shape_and_are_finite(torch_one_thread):
    torch.manual_seed(0)
    model = pilotnet.MiniPilotNet().eval()
    frames = torch.rand(3, 1, pilotnet.SIZE, pilotnet.SIZE)
    for mask in (pilotnet.visual_backprop(model, frames), pilotnet.grad_cam(model, frames)):
        assert mask.shape == (3, pilotnet.SIZE, pilotnet.SIZE)
        assert np.isfinite(mask).all() and mask.min() >= 0 and mask.max() <= 1 + 1e-6
