"""Code that is fine: routelint says nothing here."""
from openai import OpenAI

client = OpenAI()


def draw(prompt: str) -> str:
    return client.images.generate(model="gpt-image-2", prompt=prompt).data[0].url


def reason(question: str) -> str:
    return client.responses.create(model="gpt-5.5-pro", input=question, background=True).id


def talk():
    return client.realtime.connect(model="gpt-realtime-1.5")


print("GPT Image 2 is the product name; gpt-image-2 is the API ID.")
