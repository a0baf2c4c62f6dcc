/**
 * The appends a leader has sent to one follower and not yet seen acknowledged.
 * Capping them (by count and by bytes) keeps a slow follower from making the
 * leader buffer an unbounded amount of traffic.
 */
export class Inflights {
  private readonly indexes: number[] = [];
  private readonly sizes: number[] = [];
  private start = 0;
  private bytes = 0;

  constructor(
    readonly maxCount: number,
    readonly maxBytes: number,
  ) {}

  get count(): number {
    return this.indexes.length - this.start;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  add(index: number, bytes: number): void {
    this.indexes.push(index);
    this.sizes.push(bytes);
    this.bytes += bytes;
  }

  /** Forgets every append whose last index is <= `to`: they are acknowledged. */
  freeLE(to: number): void {
    while (this.start < this.indexes.length && this.indexes[this.start]! <= to) {
      this.bytes -= this.sizes[this.start]!;
      this.start++;
    }
    if (this.start > 64 && this.start * 2 > this.indexes.length) {
      this.indexes.splice(0, this.start);
      this.sizes.splice(0, this.start);
      this.start = 0;
    }
  }

  full(): boolean {
    return this.count >= this.maxCount || (this.maxBytes > 0 && this.bytes >= this.maxBytes);
  }

  reset(): void {
    this.indexes.length = 0;
    this.sizes.length = 0;
    this.start = 0;
    this.bytes = 0;
  }
}
