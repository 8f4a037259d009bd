"""Draw examples/cover.png: the sample podcast cover (1400 px square RGB PNG, Pillow only)."""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 1400


def main() -> None:
    image = Image.new("RGB", (SIZE, SIZE), (20, 40, 72))
    draw = ImageDraw.Draw(image)
    # Concentric sound waves around a speaker dot, and three bars for "voices".
    centre = (SIZE // 2, SIZE * 2 // 5)
    for i, radius in enumerate(range(110, 520, 90)):
        box = (centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius)
        draw.arc(box, start=300, end=60, fill=(240, 190, 80), width=28 - 3 * i)
        draw.arc(box, start=120, end=240, fill=(240, 190, 80), width=28 - 3 * i)
    draw.ellipse((centre[0] - 70, centre[1] - 70, centre[0] + 70, centre[1] + 70),
                 fill=(240, 190, 80))  # fmt: skip
    for k, colour in enumerate(((90, 170, 230), (230, 110, 100), (130, 200, 140))):
        top = SIZE * 3 // 4 + k * 90
        draw.rounded_rectangle((220, top, SIZE - 220 - 160 * k, top + 50), radius=25, fill=colour)
    image.save(Path(__file__).with_name("cover.png"), optimize=True)


if __name__ == "__main__":
    main()
