import { useRef, type ReactNode } from 'react';
import { Button, type ButtonProps } from '@mantine/core';

interface Props extends Omit<ButtonProps, 'children'> {
  children: ReactNode;
  /** File types offered (`image/*` opens the camera or the gallery on a tablet). */
  accept: string;
  /** `environment`: straight to the back camera on phones and tablets. */
  capture?: 'environment' | 'user';
  multiple?: boolean;
  onFiles: (files: File[]) => void;
  /** The button's test id; the hidden input gets `<testId>-input`. */
  testId: string;
}

/** A button that opens the file picker (or the camera) and hands over the chosen files. */
export function FilePickButton({ children, accept, capture, multiple, onFiles, testId, ...button }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button {...button} onClick={() => input.current?.click()} data-testid={testId}>
        {children}
      </Button>
      <input
        ref={input}
        type="file"
        accept={accept}
        capture={capture}
        multiple={multiple}
        hidden
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
          if (files.length) onFiles(files);
        }}
        data-testid={`${testId}-input`}
      />
    </>
  );
}
