"""A small service with one mistake of each kind (golden input for the output formats)."""
import openai

client = openai.OpenAI()

IMAGE_MODEL = "GPT Image 2"
THUMBNAIL_MODEL = "GPT Image 2"
CHAT_MODEL = "GPT-5.5"
FAST_MODEL = "GPT-5.5 Instant"


def summarize(text: str) -> str:
    reply = client.responses.create(model="gpt-5", input=text)
    return reply.output_text


def render_clip(prompt: str) -> object:
    return client.videos.create(model="sora-2", prompt=prompt)


def voice_agent() -> object:
    client.chat.completions.create(model="gpt-realtime-1.5", messages=[])
    return client.realtime.connect(model="gpt-audio-1.5")


def translate(audio: bytes) -> object:
    return client.audio.translations.create(model="whisper-1", file=audio)


def templated(question: str) -> object:
    return client.responses.create(model="gpt-5.5", prompt={"id": "pmpt_support"}, input=question)


def stale() -> object:
    return client.responses.create(model="gpt-5.5", input="hi")  # noqa: RL101
