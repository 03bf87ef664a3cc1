"""Right for where it goes: nothing to report."""
import openai

client = openai.OpenAI()
client.images.generate(model="gpt-image-2", prompt="a lighthouse at dusk")
