# corpus: NG001
"""Dataset QA generation with an LLM judge over HTTP: the evaluation loops run no torch model (correct)."""
import asyncio
import json
import random

import torch


class LLMClient:
    def __init__(self, session, model_name="judge-large"):
        self.session = session
        self.evaluation_model_name = model_name

    async def chat(self, messages, temperature=0.0):
        async with self.session.post("/v1/chat/completions", json={"model": self.evaluation_model_name,
                                                                    "messages": messages,
                                                                    "temperature": temperature}) as resp:
            payload = await resp.json()
        return payload["choices"][0]["message"]["content"]


async def llm_evaluate_qa_pair(question, answer, context, client):
    messages = [
        {"role": "system", "content": "Rate the answer from 1 to 10 for faithfulness to the context. Reply in JSON."},
        {"role": "user", "content": f"Context:\n{context}\n\nQ: {question}\nA: {answer}"},
    ]
    raw = await client.chat(messages)
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return {"score": 0, "feedback": raw}


async def evaluate_qa_pairs(pairs, contexts, client, sample_size=5):
    sample = pairs if len(pairs) <= sample_size else random.sample(pairs, sample_size)
    scores, evaluated = [], []
    for idx, pair in enumerate(sample):
        result = await llm_evaluate_qa_pair(pair["question"], pair["answer"], contexts[pair["split"]], client)
        scores.append(float(result.get("score", 0)))
        evaluated.append({**pair, "evaluation": result})
    return {"mean_score": sum(scores) / max(len(scores), 1), "pairs": evaluated}


def evaluate_all(tasks, client):
    return asyncio.run(asyncio.gather(*(evaluate_qa_pairs(t["pairs"], t["contexts"], client) for t in tasks)))


def retrieval_scores(query_emb, doc_embs):
    with torch.no_grad():
        return torch.nn.functional.cosine_similarity(query_emb.unsqueeze(0), doc_embs).tolist()
