# corpus: NG001
"""A sentiment web service keeps its model in a module global that starts as `None` and is built,
loaded and put in eval mode under `if __name__ == "__main__":` before the app starts; the request
handler's helper runs it with gradients on and returns a numpy score. A second global, put back in
train mode by a fine-tuning function, is left."""
import flask
import torch

from model import SentimentNet

app = flask.Flask(__name__)
MODEL = None
TUNED = None


def sentence_prediction(ids, mask):
    outputs = MODEL(ids=ids, mask=mask)  # expect: NG001
    return torch.sigmoid(outputs).cpu().detach().numpy()[0][0]


def tuned_score(ids, mask):
    return torch.sigmoid(TUNED(ids=ids, mask=mask)).detach().numpy()


def finetune(batches, opt):
    TUNED.train()
    for ids, mask, y in batches:
        loss = torch.nn.functional.binary_cross_entropy_with_logits(TUNED(ids=ids, mask=mask), y)
        opt.zero_grad()
        loss.backward()
        opt.step()


@app.route("/predict")
def predict():
    args = flask.request.args
    ids = torch.tensor([[int(t) for t in args["ids"].split(",")]])
    return {"positive": str(sentence_prediction(ids, torch.ones_like(ids)))}


if __name__ == "__main__":
    MODEL = SentimentNet()
    MODEL.load_state_dict(torch.load("model.bin", map_location="cpu"))
    MODEL.eval()
    TUNED = SentimentNet()
    TUNED.eval()
    app.run(host="0.0.0.0", port=9999)
