import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { FormAlert } from './FormAlert';
import { TextField } from './TextField';

function attr(html: string, tag: string, name: string): string | undefined {
  const element = html.match(new RegExp(`<${tag}[^>]*>`))?.[0] ?? '';
  return element.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
}

describe('TextField', () => {
  it('ties the label to the input and is not marked invalid without an error', () => {
    const html = renderToStaticMarkup(<TextField label="Email address" name="email" value="" onChange={() => {}} />);
    const id = attr(html, 'input', 'id');
    expect(id).toBeTruthy();
    expect(attr(html, 'label', 'for')).toBe(id);
    expect(attr(html, 'input', 'aria-invalid')).toBeUndefined();
    expect(attr(html, 'input', 'aria-describedby')).toBeUndefined();
  });

  it('marks the input invalid and describes it by the hint and the error', () => {
    const html = renderToStaticMarkup(
      <TextField
        label="Password"
        name="password"
        type="password"
        hint="10 to 128 characters"
        error="The password needs at least 10 characters."
        value="short"
        onChange={() => {}}
      />,
    );
    expect(attr(html, 'input', 'aria-invalid')).toBe('true');
    const describedBy = (attr(html, 'input', 'aria-describedby') ?? '').split(' ');
    expect(describedBy).toHaveLength(2);
    const [hintId, errorId] = describedBy;
    expect(html).toMatch(new RegExp(`<p class="field-hint" id="${hintId}">10 to 128 characters</p>`));
    expect(html).toMatch(new RegExp(`<p class="field-error" id="${errorId}">The password needs at least 10 characters.</p>`));
  });
});

describe('FormAlert', () => {
  it('keeps an empty alert region in the page and fills it with the message', () => {
    expect(renderToStaticMarkup(<FormAlert message={null} />)).toBe(
      '<div role="alert" class="form-alert form-alert-empty"></div>',
    );
    const html = renderToStaticMarkup(<FormAlert message="Please correct the fields." details={['token: is required']} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain('<p>Please correct the fields.</p>');
    expect(html).toContain('<li>token: is required</li>');
  });
});
