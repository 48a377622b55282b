// Trackside reference beam sensor for an Arduino (Uno, Nano, Leonardo, Micro, or a Pico with
// the arduino-pico core). See hardware.md, "Beam sensors".
//
// An IR break-beam receiver on BEAM_PIN pulls the pin low while the beam is broken. An
// interrupt stamps each break with micros(); the loop sends Trackside's `stamped` format:
//   T <micros>   the beam was broken at this micros() value
//   H <micros>   a heartbeat, ten a second: lets Trackside map this clock onto its own
// micros() wraps every 71.6 minutes; Trackside expects that.
//
// Run: trackside run PLAN --serial /dev/serial/by-id/... --protocol stamped --baud 115200

const uint8_t BEAM_PIN = 2;               // an interrupt pin: 2 or 3 on an Uno or Nano
const unsigned long REARM_US = 10000UL;   // one break per 10 ms: ignores receiver chatter
const unsigned long HEARTBEAT_US = 100000UL;
const uint8_t SLOTS = 8;                  // breaks waiting to be sent; a power of two

volatile unsigned long stamps[SLOTS];
volatile uint8_t stamped = 0;             // counts up in the interrupt (wraps at 256)
volatile uint8_t sent = 0;                // counts up in loop()
unsigned long lastBreakUs = 0;            // touched only by the interrupt
unsigned long lastHeartbeatUs = 0;

void onBeamBroken() {
  unsigned long now = micros();
  if (now - lastBreakUs < REARM_US) return;
  lastBreakUs = now;
  if ((uint8_t)(stamped - sent) < SLOTS) {  // full: drop it (the engine would lock it out)
    stamps[stamped % SLOTS] = now;
    stamped++;
  }
}

void setup() {
  pinMode(BEAM_PIN, INPUT_PULLUP);        // break-beam receivers are open collector
  Serial.begin(115200);
  attachInterrupt(digitalPinToInterrupt(BEAM_PIN), onBeamBroken, FALLING);
}

void loop() {
  while (sent != stamped) {               // the slot at `sent` is ours until sent++
    Serial.print("T ");
    Serial.println(stamps[sent % SLOTS]);
    sent++;
  }
  unsigned long now = micros();           // stamped before sending: never after the fact
  if (now - lastHeartbeatUs >= HEARTBEAT_US) {
    lastHeartbeatUs = now;
    Serial.print("H ");
    Serial.println(now);
  }
}
