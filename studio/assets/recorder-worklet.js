// routinecast studio: the recorder's audio worklet. It runs on the audio
// thread and hands the microphone's samples to the page in blocks of
// about 43 ms at 48 kHz (one message per 128-frame quantum would be 375 a
// second). "flush" sends the last, partial block and then "flushed", so
// that a take ends with what was said up to the key press.
"use strict";

const block = 2048;

class TakeRecorder extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buf = new Float32Array(block);
    this.n = 0;
    this.done = false;
    this.port.onmessage = (ev) => {
      if (ev.data !== "flush" || this.done) return;
      this.done = true;
      this.send();
      this.port.postMessage("flushed");
    };
  }

  send() {
    if (this.n === 0) return;
    const out = this.buf.slice(0, this.n);
    this.port.postMessage(out, [out.buffer]);
    this.n = 0;
  }

  process(inputs) {
    if (this.done) return false;
    // No input yet (the source not connected, or it ended): nothing to keep.
    const ch = inputs[0] && inputs[0][0];
    if (!ch) return true;
    for (let i = 0; i < ch.length; ) {
      const k = Math.min(ch.length - i, block - this.n);
      this.buf.set(ch.subarray(i, i + k), this.n);
      this.n += k;
      i += k;
      if (this.n === block) this.send();
    }
    return true;
  }
}

registerProcessor("take-recorder", TakeRecorder);
