"""Make the demo video "Vijf signalen van phishing" from slides drawn here and a Dutch voice.

    python content/demo_media/make_video.py

Needs Pillow (a project dependency) and the Debian packages ffmpeg, espeak-ng and
fonts-dejavu-core; the tests need none of them, since the video is committed. Writes
``phishing-signalen.mp4`` beside this file: H.264 and AAC, 960 x 540, under 1 MB. The caption
files (``phishing-signalen.{nl,de,en}.vtt``) and the transcripts are written by hand and timed
to the slides' lengths in ``SLIDES``: change a length here, and move the cues there with it.
"""

import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "phishing-signalen.mp4"
WIDTH, HEIGHT = 960, 540
BACKGROUND, INK, CARD_INK, ACCENT = "#1f4e79", "#ffffff", "#1b1b1b", "#ffd479"
RATE = 22050  # Hz, mono: speech needs no more

# (seconds on screen, heading, example shown on a card or "", what the voice says)
SLIDES = [
    (
        5,
        "Phishing herkennen",
        "Vijf signalen in één minuut",
        "Phishing herkennen: vijf signalen in één minuut.",
    ),
    (
        9,
        "1  Haast en druk",
        "“Uw account wordt vandaag geblokkeerd!”",
        "Eén: haast en druk. Uw account wordt vandaag geblokkeerd! "
        "Wie je opjaagt, wil dat je niet nadenkt.",
    ),
    (
        8,
        "2  Een afzender die net niet klopt",
        "servicedesk@voorbeeldstad-gemeente.info",
        "Twee: een afzender die net niet klopt. "
        "Kijk naar het echte adres, niet alleen naar de naam.",
    ),
    (
        10,
        "3  Een link die ergens anders heen gaat",
        "Je ziet: mijn.voorbeeldstad.nl\nHij gaat naar: voorbeeldstad.login-check.com",
        "Drie: een link die ergens anders heen gaat. Wijs de link aan zonder te klikken, "
        "en lees waar hij echt naartoe gaat.",
    ),
    (
        8,
        "4  Een vraag om wachtwoord of geld",
        "“Bevestig uw wachtwoord via deze link”",
        "Vier: een vraag om je wachtwoord of om geld. "
        "De gemeente vraagt nooit je wachtwoord per e-mail.",
    ),
    (
        8,
        "5  Een onverwachte bijlage",
        "factuur_2026.zip",
        "Vijf: een bijlage die je niet verwacht, zoals een zipbestand met een factuur. "
        "Open hem niet.",
    ),
    (
        7,
        "Twijfel? Niet klikken, wel melden.",
        "Meldknop in je mailprogramma · Servicedesk",
        "Twijfel je? Klik niet, maar meld het bericht met de meldknop, of bij de servicedesk.",
    ),
]


def font(size: int):
    """DejaVu Sans (Debian's fonts-dejavu-core), which has every letter of the slides (“één”);
    Pillow's built-in font lacks accented letters."""
    return ImageFont.truetype("DejaVuSans.ttf", size)


def slide_draw(number: int, heading: str, example: str) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    title_font = font(56 if number == 0 else 46)
    body_font = font(32)
    small_font = font(22)
    draw.rectangle((0, HEIGHT - 14, WIDTH * (number + 1) // len(SLIDES), HEIGHT), fill=ACCENT)
    if number == 0:
        draw.text((70, 170), heading, font=title_font, fill=INK)
        draw.text((70, 260), example, font=body_font, fill=ACCENT)
        draw.text((70, 440), "Vaardig · demo", font=small_font, fill=INK)
        return image
    size = 46
    while draw.textlength(heading, font=font(size)) > WIDTH - 120:  # long headings fit too
        size -= 2
    draw.text((60, 60), heading, font=font(size), fill=INK)
    if example:
        lines = example.split("\n")
        card_height = 60 + 48 * len(lines)
        top = 200
        draw.rounded_rectangle((60, top, WIDTH - 60, top + card_height), radius=14, fill="#ffffff")
        for index, line in enumerate(lines):
            draw.text((90, top + 30 + index * 48), line, font=body_font, fill=CARD_INK)
    return image


def speech_make(text: str, seconds: int, folder: Path, number: int) -> Path:
    """The narration of one slide, padded with silence to the slide's length."""
    spoken = folder / f"spoken-{number}.wav"
    subprocess.run(["espeak-ng", "-v", "nl", "-s", "160", "-w", str(spoken), text], check=True)
    padded = folder / f"slide-{number}.wav"
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(spoken),
            "-af",
            f"apad=whole_dur={seconds}",
            "-t",
            str(seconds),
            "-ar",
            str(RATE),
            "-ac",
            "1",
            str(padded),
        ],
        check=True,
    )
    with wave.open(str(spoken)) as speech:
        length = speech.getnframes() / speech.getframerate()
    if length > seconds - 0.3:
        sys.exit(f"Slide {number}: the narration takes {length:.1f} s of its {seconds} s.")
    return padded


def main() -> None:
    for tool in ("ffmpeg", "espeak-ng"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed: apt-get install {tool}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        playlist, sounds = [], []
        for number, (seconds, heading, example, narration) in enumerate(SLIDES):
            picture = folder / f"slide-{number}.png"
            slide_draw(number, heading, example).save(picture)
            playlist += [f"file '{picture}'", f"duration {seconds}"]
            sounds.append(speech_make(narration, seconds, folder, number))
        playlist.append(f"file '{picture}'")  # the concat demuxer's last duration needs it
        (folder / "slides.txt").write_text("\n".join(playlist) + "\n")
        narration_file = folder / "narration.wav"
        with wave.open(str(narration_file), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            for sound in sounds:
                with wave.open(str(sound)) as part:
                    out.writeframes(part.readframes(part.getnframes()))
        subprocess.run(
            [
                "ffmpeg",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                str(folder / "slides.txt"),
                "-i",
                str(narration_file),
                "-vf",
                "fps=5,format=yuv420p",
                "-c:v",
                "libx264",
                "-preset",
                "slow",
                "-tune",
                "stillimage",
                "-crf",
                "30",
                "-c:a",
                "aac",
                "-b:a",
                "40k",
                "-ac",
                "1",
                "-movflags",
                "+faststart",
                "-shortest",
                str(OUTPUT),
            ],
            check=True,
        )
    total = sum(slide[0] for slide in SLIDES)
    print(f"{OUTPUT.name}: {total} s, {OUTPUT.stat().st_size / 1024:.0f} kB")


if __name__ == "__main__":
    main()
