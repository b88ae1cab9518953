//! `image` interop (feature `image`): an [`ImageBuffer`] exports its samples as a buffer of
//! shape `(height, width, channels)`, the layout numpy and Pillow use for images
//! (`np.asarray(pil_image)` has it), and a view of that shape is an `ImageBuffer` again, without
//! a copy.
//!
//! ```
//! use buffer_runtime::view::{MemoryView, MemoryViewMut};
//! use image::{ImageBuffer, Rgb, RgbImage};
//!
//! let mut img: RgbImage = ImageBuffer::from_fn(4, 2, |x, y| Rgb([x as u8, y as u8, 7]));
//! let view = MemoryView::new(&img).unwrap();
//! assert_eq!((view.format(), view.shape()), ("B", &[2usize, 4, 3][..]));
//! assert_eq!(view.byte_strides(), &[12, 3, 1]);
//! assert_eq!(view.get_as::<u8>(&[1, 3, 0]).unwrap(), 3); // row 1, column 3, red
//!
//! // Viewed back: an `ImageBuffer` borrowing the view's samples.
//! let back = view.as_image::<Rgb<u8>>().unwrap();
//! assert_eq!(back.get_pixel(3, 1), &Rgb([3, 1, 7]));
//!
//! // Images that own or borrow their samples mutably are writable.
//! let mut view = MemoryViewMut::new(&mut img).unwrap();
//! view.set_as::<u8>(&[0, 1, 2], 200).unwrap();
//! drop(view);
//! assert_eq!(img.get_pixel(1, 0), &Rgb([1, 0, 200]));
//! ```
//!
//! Every pixel type works whose channel type is a buffer item: `u8`, `u16`, `f32` (`Rgb32F`),
//! with any number of channels (a `Luma` image is `(height, width, 1)`). Samples past the image's
//! last pixel, which `ImageBuffer::from_raw` allows in a longer container, are not exported.

use image::{ImageBuffer, Pixel};
use zerocopy::FromBytes;

use crate::export::{BufferExport, BufferExportMut, BufferLayout, BufferLayoutError};
use crate::view::{DataRef, DataRefMut, Result, ViewBase, ViewError};
use crate::{Element, StaticBufferLayout};

/// The number of samples of a `width` x `height` image of `P` (`None` on overflow).
fn sample_count<P: Pixel>(width: u32, height: u32) -> Option<usize> {
    usize::from(P::CHANNEL_COUNT)
        .checked_mul(usize::try_from(width).ok()?)?
        .checked_mul(usize::try_from(height).ok()?)
}

/// An image exports `(height, width, channels)` samples in C order (rows top to bottom, pixels
/// left to right, channels in the pixel's order).
///
/// ```
/// use buffer_runtime::BufferExport;
/// use image::{ImageBuffer, Luma};
///
/// let img = ImageBuffer::<Luma<u16>, Vec<u16>>::new(5, 3);
/// let layout = img.buffer_layout();
/// assert_eq!((&*layout.shape, &*layout.strides), (&[3usize, 5, 1][..], &[10isize, 2, 2][..]));
/// ```
impl<P, C> BufferExport for ImageBuffer<P, C>
where
    P: Pixel,
    P::Subpixel: StaticBufferLayout,
    C: core::ops::Deref<Target = [P::Subpixel]>,
{
    type Item = <P::Subpixel as StaticBufferLayout>::Item;

    fn try_buffer_layout(&self) -> core::result::Result<BufferLayout, BufferLayoutError> {
        let (width, height) = self.dimensions();
        let len = sample_count::<P>(width, height).ok_or(BufferLayoutError::Overflow)?;
        let shape = [
            height as usize,
            width as usize,
            usize::from(P::CHANNEL_COUNT),
        ];
        BufferLayout::for_items::<P::Subpixel>(len, &shape, None)
    }

    fn buffer_layout(&self) -> BufferLayout {
        self.try_buffer_layout()
            .unwrap_or_else(|_| BufferLayout::invalid())
    }

    fn buffer_bytes(&self) -> &[u8] {
        let (width, height) = self.dimensions();
        // `from_raw` and every other constructor make the container hold at least this many.
        let len = sample_count::<P>(width, height).unwrap_or(0);
        match self.get(..len) {
            Some(samples) => <[P::Subpixel] as BufferExport>::buffer_bytes(samples),
            None => &[],
        }
    }
}

/// An image whose container gives mutable access (`Vec`, `&mut [T]`) is writable.
impl<P, C> BufferExportMut for ImageBuffer<P, C>
where
    P: Pixel,
    P::Subpixel: StaticBufferLayout + FromBytes,
    C: core::ops::Deref<Target = [P::Subpixel]> + core::ops::DerefMut,
{
    fn buffer_bytes_mut(&mut self) -> &mut [u8] {
        let (width, height) = self.dimensions();
        let len = sample_count::<P>(width, height).unwrap_or(0);
        match self.get_mut(..len) {
            Some(samples) => <[P::Subpixel] as BufferExportMut>::buffer_bytes_mut(samples),
            None => &mut [],
        }
    }
}

/// Checks that a view of this shape holds an image of `P` and returns its `(width, height)`.
fn image_dims<P: Pixel>(shape: &[usize]) -> Result<(u32, u32)> {
    let channels = usize::from(P::CHANNEL_COUNT);
    let (height, width) =
        match *shape {
            [h, w, c] if c == channels => (h, w),
            [h, w] if channels == 1 => (h, w),
            _ => {
                return Err(ViewError::buffer_error(alloc::format!(
                "image: a view of shape {shape:?} is not an image of {} ({channels} channel(s)): \
                 expected (height, width, {channels}){}",
                core::any::type_name::<P>(),
                if channels == 1 { " or (height, width)" } else { "" }
            )))
            }
        };
    let too_big = |what: &str, n: usize| {
        ViewError::buffer_error(alloc::format!(
            "image: a {what} of {n} pixels does not fit the u32 of an ImageBuffer"
        ))
    };
    let width = u32::try_from(width).map_err(|_| too_big("width", width))?;
    let height = u32::try_from(height).map_err(|_| too_big("height", height))?;
    Ok((width, height))
}

impl<S: DataRef> ViewBase<S> {
    /// The view as an [`ImageBuffer`] of `P` borrowing its samples, without copying: the view
    /// must have shape `(height, width, channels)` (or `(height, width)` for one channel), be
    /// C-contiguous, hold `P::Subpixel` items and be aligned for them. A view of a numpy array
    /// or a Pillow image from Python qualifies.
    ///
    /// ```
    /// use buffer_runtime::view::MemoryView;
    /// use image::{Luma, Rgba};
    ///
    /// let gray = [[10u8, 20, 30], [40, 50, 60]];
    /// let view = MemoryView::new(&gray).unwrap();
    /// let img = view.as_image::<Luma<u8>>().unwrap();
    /// assert_eq!((img.width(), img.height()), (3, 2));
    /// assert_eq!(img.get_pixel(2, 1), &Luma([60]));
    /// assert!(view.as_image::<Rgba<u8>>().is_err()); // not 4 channels
    /// assert!(view.t().as_image::<Luma<u8>>().is_err()); // not C-contiguous
    /// ```
    pub fn as_image<P>(&self) -> Result<ImageBuffer<P, &[P::Subpixel]>>
    where
        P: Pixel,
        P::Subpixel: Element + FromBytes,
    {
        let (width, height) = image_dims::<P>(self.shape())?;
        let samples = self.as_slice::<P::Subpixel>()?;
        ImageBuffer::from_raw(width, height, samples)
            .ok_or_else(|| ViewError::buffer_error("image: the samples do not fill the image"))
    }
}

impl<S: DataRefMut> ViewBase<S> {
    /// The view as an [`ImageBuffer`] writing into its samples: see
    /// [`as_image`](Self::as_image).
    ///
    /// ```
    /// use buffer_runtime::view::MemoryViewMut;
    /// use image::Rgb;
    ///
    /// let mut px = [[[0u8; 3]; 2]; 2]; // 2 x 2 RGB
    /// let mut view = MemoryViewMut::new(&mut px).unwrap();
    /// view.as_image_mut::<Rgb<u8>>().unwrap().put_pixel(1, 0, Rgb([9, 8, 7]));
    /// drop(view);
    /// assert_eq!(px[0][1], [9, 8, 7]);
    /// ```
    pub fn as_image_mut<P>(&mut self) -> Result<ImageBuffer<P, &mut [P::Subpixel]>>
    where
        P: Pixel,
        P::Subpixel: Element + FromBytes,
    {
        let (width, height) = image_dims::<P>(self.shape())?;
        let samples = self.as_slice_mut::<P::Subpixel>()?;
        ImageBuffer::from_raw(width, height, samples)
            .ok_or_else(|| ViewError::buffer_error("image: the samples do not fill the image"))
    }
}
