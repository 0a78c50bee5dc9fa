'use client';

import { useId, useState } from 'react';
import { MAX_PAYLOAD_BYTES, MAX_RATE, type PublisherState } from '@/hooks/usePublisher';
import { ErrorNotice } from './ErrorNotice';

interface PublisherControlProps {
  publisher: PublisherState;
  /** False until the six subscriptions stand at the channels' heads. */
  ready: boolean;
}

/** Rate and payload for the page's publisher; a change while running applies at once. */
export function PublisherControl({ publisher, ready }: PublisherControlProps) {
  const id = useId();
  const [rate, setRate] = useState('5');
  const [payload, setPayload] = useState('100');
  const { running } = publisher;

  function change(nextRate: string, nextPayload: string) {
    setRate(nextRate);
    setPayload(nextPayload);
    if (running) publisher.start(Number(nextRate), Number(nextPayload));
  }

  return (
    <div className="publisher">
      <div className="publisher-fields">
        <div className="publisher-field">
          <label htmlFor={`${id}-rate`}>Rate (events/s)</label>
          <input
            id={`${id}-rate`}
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_RATE}
            value={rate}
            onChange={(event) => change(event.target.value, payload)}
          />
        </div>
        <div className="publisher-field">
          <label htmlFor={`${id}-payload`}>Payload (bytes)</label>
          <input
            id={`${id}-payload`}
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_PAYLOAD_BYTES}
            step={100}
            value={payload}
            onChange={(event) => change(rate, event.target.value)}
          />
        </div>
        <div className="publisher-buttons">
          <button
            type="button"
            disabled={running || !ready || !(Number(rate) > 0)}
            onClick={() => publisher.start(Number(rate), Number(payload))}
          >
            Start
          </button>
          <button type="button" disabled={!running} onClick={publisher.stop}>
            Stop
          </button>
          <button
            type="button"
            className="button-secondary"
            disabled={!ready}
            onClick={() => publisher.publishOne(Number(payload))}
          >
            Publish one
          </button>
        </div>
      </div>
      <p
        className="hint"
        aria-live="polite"
        data-testid="publisher-state"
        data-busy={running || publisher.waiting > 0}
      >
        <span data-testid="publisher-sent">{publisher.sent}</span> sent
        {/* One in flight is normal; more means the API answers slower than the rate. */}
        {publisher.waiting > 1 && <> · {publisher.waiting - 1} queued</>}
        {publisher.skipped > 0 && <> · {publisher.skipped} skipped (the API could not keep up)</>}
        {running && <> · publishing</>}
      </p>
      <ErrorNotice error={publisher.error} />
    </div>
  );
}
