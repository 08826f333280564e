// The app's two icons, drawn in code so the package needs no binary files in git: a colour
// icon (192×192, a ring on Leerlus green) and an outline icon (32×32, white on transparent),
// as Teams requires.
import { crc32, deflateSync } from "node:zlib";

type Rgba = [number, number, number, number];

const GREEN: Rgba = [0x1b, 0x6e, 0x5a, 0xff];
const WHITE: Rgba = [0xff, 0xff, 0xff, 0xff];
const CLEAR: Rgba = [0, 0, 0, 0];

/** A ring with a gap and an arrow head: the loop in "learning loop". */
function drawLoop(size: number, background: Rgba, foreground: Rgba, margin: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const outer = size / 2 - margin;
  const inner = outer - Math.max(2, size * 0.09);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x - centre;
      const dy = y - centre;
      const distance = Math.hypot(dx, dy);
      const angle = Math.atan2(dy, dx);
      // The gap at the top right, where the loop starts again.
      const inGap = angle > -Math.PI / 2 && angle < -Math.PI / 4;
      const onRing = distance <= outer && distance >= inner && !inGap;
      // The arrow head: a triangle at the end of the ring pointing into the gap.
      const headX = x - (centre + ((outer + inner) / 2) * Math.cos(-Math.PI / 4));
      const headY = y - (centre + ((outer + inner) / 2) * Math.sin(-Math.PI / 4));
      const width = outer - inner;
      const onHead = headX <= 0 && headX >= -width * 1.2 && Math.abs(headY + headX) <= width * 1.2 + headX;
      const colour = onRing || onHead ? foreground : background;
      pixels.set(colour, (y * size + x) * 4);
    }
  }
  return pixels;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A minimal RGBA PNG: one IDAT, filter 0 on every row. */
export function encodePng(size: number, pixels: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export function colorIcon(): Buffer {
  return encodePng(192, drawLoop(192, GREEN, WHITE, 36));
}

export function outlineIcon(): Buffer {
  return encodePng(32, drawLoop(32, CLEAR, WHITE, 3));
}
