'use client';

import { JOB_TYPES, type JobType } from '@pushpull/contracts';
import { useId, useState, type FormEvent } from 'react';
import { useSubmission } from '@/hooks/useSubmission';
import { ErrorNotice } from './ErrorNotice';

/** What each job type does, shown under the type picker. */
const DESCRIPTIONS: Record<JobType, string> = {
  report: 'Works through its steps, reporting progress after each one.',
  flaky: 'Fails its first attempts, then succeeds: retries with growing delays.',
  poison: 'Always fails: retried up to MAX_ATTEMPTS, then dead-lettered.',
  relay: 'A worker publishes a message to a channel: open that channel on another page.',
};

/** The form's fields, as typed. Empty number fields are left out so the API's defaults apply. */
interface Fields {
  steps: string;
  stepMs: string;
  failures: string;
  channel: string;
  text: string;
}

const INITIAL_FIELDS: Fields = {
  steps: '5',
  stepMs: '400',
  failures: '2',
  channel: 'demo',
  text: 'hello from a job',
};

function numberOrDefault(value: string): number | undefined {
  return value.trim() === '' ? undefined : Number(value);
}

/** The `input` the API expects for each type; JSON drops the undefined fields. */
function jobInput(type: JobType, fields: Fields): unknown {
  switch (type) {
    case 'report':
      return { steps: numberOrDefault(fields.steps), stepMs: numberOrDefault(fields.stepMs) };
    case 'flaky':
      return { failures: numberOrDefault(fields.failures) };
    case 'poison':
      return {};
    case 'relay':
      return { channel: fields.channel.trim(), type: 'message', data: { text: fields.text } };
  }
}

interface JobSubmitFormProps {
  onSubmit(type: JobType, input: unknown): Promise<void>;
}

/**
 * Picks a job type and its input, and submits it. `noValidate`: the API checks the input (its
 * `invalid_body` answer is part of what the page shows), so the browser does not pre-empt it.
 */
export function JobSubmitForm({ onSubmit }: JobSubmitFormProps) {
  const id = useId();
  const [type, setType] = useState<JobType>('report');
  const [fields, setFields] = useState(INITIAL_FIELDS);
  const { sending, error, submit } = useSubmission();

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await submit(() => onSubmit(type, jobInput(type, fields)));
  }

  function field(name: keyof Fields, label: string, props: { min?: number; max?: number } = {}) {
    const numeric = props.min !== undefined;
    return (
      <div className="job-field">
        <label htmlFor={`${id}-${name}`}>{label}</label>
        <input
          id={`${id}-${name}`}
          type={numeric ? 'number' : 'text'}
          inputMode={numeric ? 'numeric' : undefined}
          {...props}
          value={fields[name]}
          autoComplete="off"
          spellCheck={false}
          onChange={(change) => setFields({ ...fields, [name]: change.target.value })}
        />
      </div>
    );
  }

  return (
    <form className="job-form" noValidate onSubmit={handleSubmit}>
      <div className="job-field">
        <label htmlFor={`${id}-type`}>Job type</label>
        <select
          id={`${id}-type`}
          value={type}
          aria-describedby={`${id}-about`}
          onChange={(change) => setType(change.target.value as JobType)}
        >
          {JOB_TYPES.map((jobType) => (
            <option key={jobType} value={jobType}>
              {jobType}
            </option>
          ))}
        </select>
      </div>
      <p id={`${id}-about`} className="hint job-about">
        {DESCRIPTIONS[type]}
      </p>
      {type === 'report' && (
        <>
          {field('steps', 'Steps', { min: 1, max: 20 })}
          {field('stepMs', 'Step (ms)', { min: 0, max: 10_000 })}
        </>
      )}
      {type === 'flaky' && field('failures', 'Failures', { min: 0, max: 10 })}
      {type === 'relay' && (
        <>
          {field('channel', 'Channel')}
          {field('text', 'Text')}
        </>
      )}
      <button type="submit" disabled={sending}>
        Submit job
      </button>
      <ErrorNotice error={error} />
    </form>
  );
}
