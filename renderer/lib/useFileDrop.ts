import { useState } from 'react';

/**
 * Drag-and-drop of files onto an element: spread `dropProps` on it and style it by `data-dragging` while
 * files hover over it. The browser's own handling (opening the file in the window) is prevented.
 */
export function useFileDrop(onFiles: (files: FileList) => void) {
  const [dragging, setDragging] = useState(false);
  const dropProps = {
    'data-dragging': dragging || undefined,
    onDragOver: (event: React.DragEvent) => {
      event.preventDefault();
      setDragging(true);
    },
    onDragLeave: () => setDragging(false),
    onDrop: (event: React.DragEvent) => {
      event.preventDefault();
      setDragging(false);
      onFiles(event.dataTransfer.files);
    },
  };
  return dropProps;
}
