# corpus: NG001
"""Video and batch inference through high-level predictors whose __call__ disables grad itself
(ultralytics YOLO, transformers pipeline, diffusers pipelines)."""
import cv2
import torch
from diffusers import StableDiffusionPipeline
from transformers import pipeline
from ultralytics import YOLO


class VideoApp:
    def __init__(self):
        self.model = None  # loaded by configure()

    def configure(self, weights="yolov8n.pt"):
        self.model = YOLO(weights)

    def inference(self, source):
        cap = cv2.VideoCapture(source)
        n = 0
        while cap.isOpened():
            ok, frame = cap.read()
            if not ok:
                break
            results = self.model(frame, conf=0.25, iou=0.7)
            n += len(results[0].boxes)
        cap.release()
        return n


def predict_folder(paths):
    model = YOLO("yolov8n.pt")
    return [model(p, verbose=False)[0].boxes.xyxy.cpu() for p in paths]


def predict_sentiment(texts):
    classifier = pipeline("sentiment-analysis", device=0 if torch.cuda.is_available() else -1)
    return [classifier(t)[0]["label"] for t in texts]


def run_inference(prompts, out_dir):
    model = StableDiffusionPipeline.from_pretrained("runwayml/stable-diffusion-v1-5").to("cuda")
    for i, prompt in enumerate(prompts):
        model(prompt, num_inference_steps=30).images[0].save(f"{out_dir}/{i}.png")
