"""A small app with the mistakes routelint exists to catch. Run: routelint --today 2026-11-25 examples/"""
import os

from openai import OpenAI

client = OpenAI()

# A ChatGPT product label pasted where an API model ID belongs.
IMAGE_MODEL = "GPT Image 2"

# A realtime model sent to Chat Completions.
VOICE_MODEL = "gpt-realtime-1.5"

CHAT_MODEL = os.getenv("CHAT_MODEL", "gpt-5")


def draw(prompt: str) -> str:
    return client.images.generate(model=IMAGE_MODEL, prompt=prompt).data[0].url


def answer(question: str) -> str:
    reply = client.chat.completions.create(model=VOICE_MODEL, messages=[{"role": "user", "content": question}])
    return reply.choices[0].message.content


def summarize(text: str) -> str:
    return client.responses.create(model=CHAT_MODEL, input=f"Summarize: {text}").output_text


def make_clip(prompt: str) -> str:
    # The Sora 2 Videos API shut down on 2026-09-24.
    return client.videos.create(model="sora-2", prompt=prompt).id


def live_voice():
    # Accepted, but live voice wants the realtime model.
    return client.realtime.connect(model="gpt-audio-1.5")
