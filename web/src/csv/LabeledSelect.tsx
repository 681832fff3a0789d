import type { JSX } from 'solid-js'

/** A setting of the CSV dialogs: its label, then a select of the values (the options as children). */
export function LabeledSelect<V extends string>(props: {
  label: string
  testId?: string
  value: V
  onChange: (value: V) => void
  children: JSX.Element
}): JSX.Element {
  return (
    <label>
      {props.label}{' '}
      <select
        data-testid={props.testId}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value as V)}
      >
        {props.children}
      </select>
    </label>
  )
}
