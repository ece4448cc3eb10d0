import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's `chromium` package; playwright's own browser downloads are not used. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Fails loudly, never skips: a missing browser must not turn a UI test green. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The status page test needs Chromium at ${CHROMIUM_PATH} and found none. ` +
        "Install it (Debian/Ubuntu, as root): apt-get update && apt-get install -y chromium — " +
        "or set CHROMIUM_PATH to a Chromium or Chrome binary.",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS });
}

export type Rgb = [number, number, number];

/**
 * Decodes a PNG in the browser itself (no image library needed) and counts the pixels close to each
 * colour, plus those that are not the white background.
 */
export async function countPixels(browser: Browser, png: Buffer, colours: Record<string, Rgb>): Promise<Record<string, number>> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ dataUrl, colours }) => {
        const image = new Image();
        image.src = dataUrl;
        await image.decode();
        const canvas = document.createElement("canvas");
        canvas.width = image.naturalWidth;
        canvas.height = image.naturalHeight;
        const context = canvas.getContext("2d");
        if (!context) throw new Error("no 2d canvas");
        context.drawImage(image, 0, 0);
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        const counts: Record<string, number> = { nonBackground: 0, pixels: canvas.width * canvas.height };
        for (const name of Object.keys(colours)) counts[name] = 0;
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
          if (r < 245 || g < 245 || b < 245) counts.nonBackground = (counts.nonBackground ?? 0) + 1;
          for (const [name, [cr, cg, cb]] of Object.entries(colours)) {
            if (Math.abs(r - cr) + Math.abs(g - cg) + Math.abs(b - cb) < 30) counts[name] = (counts[name] ?? 0) + 1;
          }
        }
        return counts;
      },
      { dataUrl: `data:image/png;base64,${png.toString("base64")}`, colours },
    );
  } finally {
    await page.close();
  }
}
