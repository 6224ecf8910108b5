import { Transform, type TransformCallback } from 'node:stream';

/**
 * The last stage of every response body: counts bytes against the cap of the body's kind, and
 * turns whatever error ends the body (a reset, an idle timeout, the deadline) into the
 * transport's own error, since `_destroy`'s callback decides what the stream reports.
 */
export class BodyGuard extends Transform {
  private seen = 0;

  constructor(
    private readonly cap: number,
    private readonly tooLarge: () => Error,
    private readonly mapError: (err: Error) => Error,
    private readonly onClose: () => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.cap) {
      cb(this.tooLarge());
      return;
    }
    cb(null, chunk);
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.onClose();
    cb(err ? this.mapError(err) : null);
  }
}
